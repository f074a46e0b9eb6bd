//! Chapter 14: where the producer/consumer workload's context switches come from. A thread that
//! blocks switches voluntarily; handing blocks over a bounded channel blocks, and keeping them on
//! their thread does not, on either allocator.

use std::path::Path;

use ch14_benchmarks::Allocator;
use ch14_benchmarks::suite::{reading, run_worker};

/// Voluntary context switches per 1,000 blocks of one worker run.
fn voluntary_per_1000(allocator: Allocator, args: &[&str]) -> f64 {
    let worker = match allocator {
        Allocator::System => Path::new(env!("CARGO_BIN_EXE_bench-system")),
        Allocator::Jemalloc => Path::new(env!("CARGO_BIN_EXE_bench-jemalloc")),
        Allocator::Mimalloc => Path::new(env!("CARGO_BIN_EXE_bench-mimalloc")),
    };
    let stdout = run_worker(worker, args, allocator).unwrap_or_else(|err| panic!("{err}"));
    let switches =
        reading(&stdout, "result", "voluntary_switches").unwrap_or_else(|e| panic!("{e}"));
    let ops = reading(&stdout, "result", "ops").unwrap_or_else(|e| panic!("{e}"));
    switches * 1000.0 / ops
}

#[test]
fn handing_blocks_over_blocks_threads_and_keeping_them_does_not() {
    for allocator in [Allocator::System, Allocator::Jemalloc] {
        let handed = voluntary_per_1000(allocator, &["handover", "64", "2"]);
        let own = voluntary_per_1000(allocator, &["run", "thread-local-2t", "2"]);
        assert!(
            handed >= 1.0 && own < 0.1,
            "{}: expected at least 1 voluntary switch per 1,000 blocks handed over in batches \
             of 64 and under 0.1 per 1,000 kept on their thread, saw {handed:.2} and {own:.3}",
            allocator.name()
        );
    }
}
