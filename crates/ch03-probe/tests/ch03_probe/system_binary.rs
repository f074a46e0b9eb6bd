//! `probe-system` (global allocator: `Counting<System>`) measured from outside: glibc serves it,
//! jemalloc sees nothing. glibc's counters exist on Linux with glibc only.
// Linux with glibc only: reads glibc's counters (`mallinfo2`), to show that glibc serves the
// binary.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use ch03_probe::run::{default_readings, readings_of};
use ch03_probe::{Reading, Verdict};

fn readings() -> Vec<Reading> {
    default_readings(env!("CARGO_BIN_EXE_probe-system"), &[100, 1 << 20])
}

#[test]
fn glibc_counters_grow_by_the_batch() {
    for r in readings() {
        let grew = r.glibc.expect("glibc reading on linux-gnu");
        assert!(
            grew >= r.size as i64,
            "glibc grew by {grew} B, less than one {} B block: {r}",
            r.size
        );
        assert!(
            grew >= (r.requested() / 2) as i64,
            "glibc grew by less than half the batch: {r}"
        );
    }
}

#[test]
fn jemalloc_counters_stay_still_and_it_owns_no_block() {
    for r in readings() {
        assert_eq!(r.jemalloc_thread, Some(0), "thread.allocatedp moved: {r}");
        let stats = r.jemalloc_stats.expect("stats.allocated reading");
        assert!(
            stats < r.size as i64,
            "stats.allocated grew by {stats} B: {r}"
        );
        assert_eq!(
            r.jemalloc_owns,
            Some(false),
            "arenas.lookup claims the block: {r}"
        );
    }
}

#[test]
fn the_counting_wrapper_sees_exactly_the_request() {
    for r in readings() {
        assert_eq!(r.counted, Some(r.requested()), "{r}");
    }
}

// ANCHOR: assert_verdict
#[test]
fn the_verdict_is_system_for_every_size() {
    let readings = readings_of(env!("CARGO_BIN_EXE_probe-system"), &[]);
    for r in readings {
        assert_eq!(r.verdict(), Verdict::System, "{r}");
    }
}
// ANCHOR_END: assert_verdict

#[test]
fn glibc_hides_at_most_seven_blocks_of_a_repeated_batch() {
    // The first batch's chunks go back to glibc's thread cache (7 per size) when it is dropped; a
    // second batch takes those 7 without moving mallinfo2, and the other 57 show.
    let readings = readings_of(env!("CARGO_BIN_EXE_probe-system"), &["100", "100"]);
    let second = &readings[1];
    assert_eq!(second.glibc, Some(57 * 112), "{second}");
    assert_eq!(second.verdict(), Verdict::System, "{second}");
}
