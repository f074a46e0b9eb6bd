//! Chapter 14: where the producer/consumer workload's context switches come from. A
//! thread that blocks switches voluntarily; handing blocks over a bounded channel
//! blocks, and keeping them on their thread does not, on either allocator. How often
//! the hand-over blocks depends on the load of the machine, so the test compares the
//! two workloads' counts, and tries up to three times.

use std::path::Path;

use ch14_benchmarks::Allocator;
use ch14_benchmarks::workers::{reading, run_worker};

/// Voluntary context switches of one worker run (200,000 blocks).
fn voluntary(allocator: Allocator, args: &[&str]) -> f64 {
    let worker = match allocator {
        Allocator::System => Path::new(env!("CARGO_BIN_EXE_bench-system")),
        Allocator::Jemalloc => Path::new(env!("CARGO_BIN_EXE_bench-jemalloc")),
        Allocator::Mimalloc => Path::new(env!("CARGO_BIN_EXE_bench-mimalloc")),
    };
    let stdout =
        run_worker(worker, args, allocator).unwrap_or_else(|err| panic!("{err}"));
    reading(&stdout, "result", "voluntary_switches")
        .unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn handing_blocks_over_blocks_threads_and_keeping_them_does_not() {
    for allocator in [Allocator::System, Allocator::Jemalloc] {
        let mut seen = Vec::new();
        let held = (0..3).any(|_| {
            let handed = voluntary(allocator, &["handover", "64", "2"]);
            let own = voluntary(allocator, &["run", "thread-local-2t", "2"]);
            seen.push((handed, own));
            handed >= 20.0 && own <= handed / 5.0
        });
        assert!(
            held,
            "{}: expected at least 20 voluntary switches handing 200,000 blocks over in batches \
             of 64, and at most a fifth as many keeping 200,000 on their thread; saw (handed, \
             kept) {seen:?} in three tries",
            allocator.name()
        );
    }
}
