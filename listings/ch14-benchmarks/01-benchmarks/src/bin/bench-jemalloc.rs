//! Worker on jemalloc (tikv-jemallocator, prefixed, no `stats`): runs one job (see
//! `ch14_benchmarks::worker`).

// ANCHOR: global
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
// ANCHOR_END: global

fn main() -> std::process::ExitCode {
    ch14_benchmarks::worker::main(ch14_benchmarks::Allocator::Jemalloc)
}
