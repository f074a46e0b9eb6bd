//! Worker on mimalloc (prefixed): runs one job (see `ch14_benchmarks::worker`).

// ANCHOR: global
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
// ANCHOR_END: global

fn main() -> std::process::ExitCode {
    ch14_benchmarks::worker::main(ch14_benchmarks::Allocator::Mimalloc)
}
