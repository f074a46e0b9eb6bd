//! The same program as `ch17-dhat`, on `System` instead of `dhat::Alloc`: dhat's
//! profiler runs but sees no allocation, and `--churn` times the workload without
//! recording.

#[global_allocator]
static GLOBAL: std::alloc::System = std::alloc::System;

fn main() {
    std::process::exit(ch17_dhat::main_with(env!("CARGO_BIN_NAME")));
}
