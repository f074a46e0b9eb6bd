//! Chapter 14's benchmarks are a separate workspace (their jemalloc has no `stats`). This runs its
//! own tests: the statistics on fixed data, each worker's proof of its allocator, and the whole
//! suite on a tiny scale. It never runs the full benchmarks (`cargo bench` in that workspace does).
// Linux with glibc only: the benchmarks build there only (their lib.rs says why).
#![cfg(all(target_os = "linux", target_env = "gnu"))]

#[test]
fn the_benchmark_workspace_passes_its_smoke_tests() {
    book_harness::separate_workspace::SeparateWorkspace::at(
        "listings/ch14-benchmarks/01-benchmarks",
    )
    .test();
}
