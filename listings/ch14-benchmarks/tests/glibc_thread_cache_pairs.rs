//! Why System is quicker on alloc/free pairs than the published band expects: glibc (since 2.26)
//! keeps a small per-thread cache of freed chunks, and a block freed at once is exactly what it
//! serves the next allocation from. Switching the cache off with glibc's tunable makes the same
//! pairs several times slower.

use std::path::Path;

use ch14_benchmarks::Allocator;
use ch14_benchmarks::suite::{reading, run_worker_with};

/// The fastest of three runs, in ns per pair: the least disturbed by other work on the machine.
fn ns_per_pair(env: &[(&str, &str)]) -> f64 {
    let worker = Path::new(env!("CARGO_BIN_EXE_bench-system"));
    (0..3)
        .map(|_| {
            let stdout = run_worker_with(
                worker,
                &["run", "pairs-16B-1KiB", "20"],
                env,
                Allocator::System,
            )
            .unwrap_or_else(|err| panic!("{err}"));
            reading(&stdout, "result", "ns_per_op").unwrap_or_else(|err| panic!("{err}"))
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn glibc_serves_pairs_from_its_thread_cache() {
    let cached = ns_per_pair(&[]);
    let uncached = ns_per_pair(&[("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0")]);
    assert!(
        uncached >= 1.5 * cached,
        "with the cache {cached:.1} ns, without {uncached:.1} ns"
    );
}
