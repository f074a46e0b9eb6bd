//! Worker on `System` (glibc's malloc): runs one job (see `ch14_benchmarks::worker`).

use std::alloc::System;

// ANCHOR: global
#[global_allocator]
static GLOBAL: System = System;
// ANCHOR_END: global

fn main() -> std::process::ExitCode {
    ch14_benchmarks::worker::main(ch14_benchmarks::Allocator::System)
}
