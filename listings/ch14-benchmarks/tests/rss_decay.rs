//! Why jemalloc's resident memory stays at its peak while the program is idle: without a background
//! thread (tikv-jemallocator's default), jemalloc returns freed pages only as it allocates again, so
//! a sleeping program returns nothing. With `background_thread:true` a jemalloc thread purges them on
//! its own, here within 2 seconds with a 200 ms decay.

use std::path::Path;

use ch14_benchmarks::Allocator;
use ch14_benchmarks::suite::{readings, run_worker_with};

/// Resident bytes right after freeing 90% of 64 MiB, and 2 s later.
fn at_once_and_later(env: &[(&str, &str)]) -> (f64, f64) {
    let worker = Path::new(env!("CARGO_BIN_EXE_bench-jemalloc"));
    let stdout = run_worker_with(worker, &["rss", "64", "0,2"], env, Allocator::Jemalloc)
        .unwrap_or_else(|err| panic!("{err}"));
    let freed: Vec<f64> = stdout
        .lines()
        .filter(|line| line.contains("phase=freed"))
        .flat_map(|line| readings(line, "rss", "bytes"))
        .collect();
    assert_eq!(freed.len(), 2, "{stdout}");
    (freed[0], freed[1])
}

#[test]
fn idle_jemalloc_keeps_its_freed_pages() {
    let (at_once, later) = at_once_and_later(&[]);
    assert!(
        later >= 0.95 * at_once,
        "{at_once} bytes at once, {later} two seconds later"
    );
}

#[test]
fn a_background_thread_returns_them_while_the_program_sleeps() {
    let (at_once, later) = at_once_and_later(&[(
        "_RJEM_MALLOC_CONF",
        "background_thread:true,dirty_decay_ms:200",
    )]);
    assert!(
        later <= 0.8 * at_once,
        "{at_once} bytes at once, {later} two seconds later"
    );
}
