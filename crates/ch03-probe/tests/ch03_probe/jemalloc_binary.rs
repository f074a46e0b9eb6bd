//! `probe-jemalloc` (global allocator: `Counting<Jemalloc>`) measured from outside: jemalloc serves
//! it, glibc's counters do not move.
// Linux with glibc only: reads glibc's counters (`mallinfo2`) to show that they do not move.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use ch03_probe::run::{default_readings, readings_of};
use ch03_probe::{Reading, Verdict};

fn readings() -> Vec<Reading> {
    default_readings(env!("CARGO_BIN_EXE_probe-jemalloc"), &[100, 1 << 20])
}

#[test]
fn jemalloc_counters_grow_by_the_batch_and_it_owns_the_block() {
    for r in readings() {
        let thread = r.jemalloc_thread.expect("thread.allocatedp reading");
        assert!(
            thread >= r.requested(),
            "thread.allocatedp grew by {thread} B only: {r}"
        );
        let stats = r.jemalloc_stats.expect("stats.allocated reading");
        assert!(
            stats >= r.requested() as i64,
            "stats.allocated grew by {stats} B only: {r}"
        );
        assert_eq!(
            r.jemalloc_owns,
            Some(true),
            "arenas.lookup does not know the block: {r}"
        );
    }
}

#[test]
fn glibc_counters_stay_still() {
    for r in readings() {
        let grew = r.glibc.expect("glibc reading on linux-gnu");
        assert!(grew < r.size as i64, "glibc grew by {grew} B: {r}");
    }
}

#[test]
fn the_counting_wrapper_sees_exactly_the_request() {
    for r in readings() {
        assert_eq!(r.counted, Some(r.requested()), "{r}");
    }
}

#[test]
fn the_verdict_is_jemalloc_for_every_size() {
    for r in readings() {
        assert_eq!(r.verdict(), Verdict::Jemalloc, "{r}");
    }
}

#[test]
fn stats_overshoot_comes_from_the_thread_cache() {
    // With jemalloc's thread cache on, `stats.allocated` also counts the blocks moved into the
    // cache; turned off, it equals the thread counter exactly.
    let cached = readings_of(env!("CARGO_BIN_EXE_probe-jemalloc"), &["100"]);
    assert!(
        cached[0].jemalloc_stats > cached[0].jemalloc_thread.map(|t| t as i64),
        "{}",
        cached[0]
    );
    let uncached = ch03_probe::run::readings_with_env(
        env!("CARGO_BIN_EXE_probe-jemalloc"),
        &["100"],
        &[("_RJEM_MALLOC_CONF", "tcache:false")],
    );
    assert_eq!(
        uncached[0].jemalloc_stats,
        uncached[0].jemalloc_thread.map(|t| t as i64),
        "{}",
        uncached[0]
    );
}

#[test]
fn stats_miss_a_batch_served_from_the_thread_cache() {
    // The first batch's blocks go back to jemalloc's thread cache when it is dropped; an identical
    // second batch comes out of that cache, which `stats.allocated` already counted. The thread
    // counter still sees every block, which is why the verdict relies on it.
    let readings = readings_of(env!("CARGO_BIN_EXE_probe-jemalloc"), &["100", "100"]);
    let second = &readings[1];
    assert!(
        second.jemalloc_stats < Some(second.requested() as i64),
        "{second}"
    );
    assert!(
        second.jemalloc_thread >= Some(second.requested()),
        "{second}"
    );
    assert_eq!(second.verdict(), Verdict::Jemalloc, "{second}");
}
