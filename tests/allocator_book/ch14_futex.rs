//! Chapter 14's `futex` counts need strace, so they run in the README's second command. The
//! benchmarks are a separate workspace (their jemalloc has no `stats`): this runs that
//! workspace's strace tests, `tests/futex_calls.rs`, with `--ignored`.
// Linux with glibc only: the benchmarks build there only (their lib.rs says why).
#![cfg(all(target_os = "linux", target_env = "gnu"))]

#[test]
#[ignore = "needs strace (Debian package strace): the second test command runs it"]
fn the_benchmarks_count_the_gap_in_futex_calls() {
    book_harness::tools::require("strace", "strace");
    book_harness::separate_workspace::SeparateWorkspace::at(
        "listings/ch14-benchmarks/01-benchmarks",
    )
    .cargo(&["test", "--test", "futex_calls", "--", "--ignored"])
    .assert_success();
}
