//! Each worker binary's allocations are served by the allocator it is named for, and by
//! no other: every timed sample in the results comes from such a process (the runner
//! checks the same evidence after every sample). The evidence lines are the recordings
//! the chapter shows.

use book_harness::recorded::Recording;
use ch14_benchmarks::evidence::{BATCH, BLOCK, Evidence};

const REQUESTED: i64 = (BATCH * BLOCK) as i64;

fn prove(bin: &str, exe: &str) -> Evidence {
    // A separate workspace: the reader names its manifest.
    let shown = format!(
        "cargo run -q --manifest-path listings/ch14-benchmarks/01-benchmarks/Cargo.toml --bin {bin}"
    );
    let ran = Recording::new(exe, &shown).arg("prove").check(format!(
        "listings/ch14-benchmarks/01-benchmarks/recorded/{bin}-prove.txt"
    ));
    assert!(ran.status.success(), "{bin} prove failed:\n{}", ran.output);
    ran.output
        .lines()
        .last()
        .expect("the worker prints its evidence")
        .parse()
        .expect("a well-formed evidence line")
}

// ANCHOR: both_sides
#[test]
fn the_system_worker_is_served_by_glibc_alone() {
    let evidence = prove("bench-system", env!("CARGO_BIN_EXE_bench-system"));
    assert!(evidence.glibc_delta >= REQUESTED / 2, "{evidence}");
    assert_eq!(evidence.jemalloc_thread_delta, 0, "{evidence}");
    assert!(
        !evidence.jemalloc_owns && !evidence.mimalloc_owns,
        "{evidence}"
    );
}
// ANCHOR_END: both_sides

#[test]
fn the_jemalloc_worker_is_served_by_jemalloc_alone() {
    let evidence = prove("bench-jemalloc", env!("CARGO_BIN_EXE_bench-jemalloc"));
    assert!(
        evidence.jemalloc_thread_delta >= REQUESTED as u64 && evidence.jemalloc_owns,
        "{evidence}"
    );
    assert!(evidence.glibc_delta < BLOCK as i64, "{evidence}");
    assert!(!evidence.mimalloc_owns, "{evidence}");
}

#[test]
fn the_mimalloc_worker_is_served_by_mimalloc_alone() {
    let evidence = prove("bench-mimalloc", env!("CARGO_BIN_EXE_bench-mimalloc"));
    assert!(evidence.mimalloc_owns, "{evidence}");
    assert!(evidence.glibc_delta < BLOCK as i64, "{evidence}");
    assert_eq!(evidence.jemalloc_thread_delta, 0, "{evidence}");
    assert!(!evidence.jemalloc_owns, "{evidence}");
}
