//! Why System falls so far behind when one thread frees what another allocated, on 2 cores. The
//! same workload pinned to one core (`taskset -c 0`), where the two threads take turns instead of
//! running at once, takes System much less time per block: the cost is the two threads working on
//! glibc's shared state at the same moment, not the work itself.

use std::path::Path;
use std::process::Command;

use ch14_benchmarks::evidence::Evidence;
use ch14_benchmarks::suite::reading;

/// The fastest of three runs of the System worker's producer/consumer workload, in ns per block.
fn ns_per_block(on_one_core: bool) -> f64 {
    let worker = Path::new(env!("CARGO_BIN_EXE_bench-system"));
    let taskset = book_harness::tools::require("taskset", "util-linux");
    (0..3)
        .map(|_| {
            let mut command = if on_one_core {
                let mut pinned = Command::new(&taskset);
                pinned.args(["-c", "0"]).arg(worker);
                pinned
            } else {
                Command::new(worker)
            };
            let output = command
                .args(["run", "producer-consumer-2t", "5"])
                .output()
                .expect("the worker runs");
            assert!(output.status.success(), "{output:?}");
            let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
            let evidence: Evidence = stdout
                .lines()
                .last()
                .expect("an evidence line")
                .parse()
                .expect("evidence");
            assert_eq!(
                evidence.served_by(),
                Some(ch14_benchmarks::Allocator::System),
                "{evidence}"
            );
            reading(&stdout, "result", "ns_per_op").unwrap_or_else(|err| panic!("{err}"))
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn glibc_cross_thread_frees_cost_most_when_both_threads_run_at_once() {
    let two_cores = ns_per_block(false);
    let one_core = ns_per_block(true);
    assert!(
        one_core <= 0.8 * two_cores,
        "on one core {one_core:.0} ns per block, on two {two_cores:.0} ns"
    );
}
