//! The workload of `src/lib.rs` with dhat's recording allocator as the global
//! allocator: `ch17-dhat <json-path>` prints what dhat counted and writes its
//! profile to `<json-path>`; `ch17-dhat --churn <rounds> [<json-path>]` is the
//! workload that the cost of recording is timed on (profiled only with a path).

// ANCHOR: global
#[global_allocator]
static GLOBAL: dhat::Alloc = dhat::Alloc;
// ANCHOR_END: global

fn main() {
    std::process::exit(ch17_dhat::main_with(env!("CARGO_BIN_NAME")));
}
