//! Why System is quicker on alloc/free pairs than the published band expects: glibc
//! (since 2.26) keeps a small per-thread cache of freed chunks, and a block freed at
//! once is exactly what it serves the next allocation from. Switching the cache off
//! with glibc's tunable makes the same pairs several times slower.

use std::path::Path;

use ch14_benchmarks::Allocator;
use ch14_benchmarks::workers::{reading, run_worker_with};

/// One run of the pairs workload on System, in ns per pair.
fn ns_per_pair(env: &[(&str, &str)]) -> f64 {
    let worker = Path::new(env!("CARGO_BIN_EXE_bench-system"));
    let stdout = run_worker_with(
        worker,
        &["run", "pairs-16B-1KiB", "20"],
        env,
        Allocator::System,
    )
    .unwrap_or_else(|err| panic!("{err}"));
    reading(&stdout, "result", "ns_per_op").unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn timing_glibc_serves_pairs_from_its_thread_cache() {
    // Interleaved rounds, so that other work on the machine slows both settings alike;
    // the median of the per-round ratios is what the assertion reads.
    const ROUNDS: usize = 5;
    let mut ratios = Vec::with_capacity(ROUNDS);
    let mut seen = String::new();
    for _ in 0..ROUNDS {
        let cached = ns_per_pair(&[]);
        let uncached =
            ns_per_pair(&[("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0")]);
        ratios.push(uncached / cached);
        seen.push_str(&format!(
            " {cached:.1} ns cached / {uncached:.1} ns uncached;"
        ));
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ROUNDS / 2];
    assert!(
        median >= 1.5,
        "expected pairs to take at least 1.5 times as long without glibc's thread cache; \
         measured a median ratio of {median:.2} over {ROUNDS} interleaved rounds:{seen}"
    );
}
