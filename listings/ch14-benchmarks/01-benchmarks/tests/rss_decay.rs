//! Why jemalloc's resident memory stays at its peak while the program is idle. Without
//! a background thread (tikv-jemallocator's default), jemalloc returns decayed pages
//! only from inside its own calls: in jemalloc 5.3.1 the allocation and the
//! deallocation paths both tick its decay clock (`arena_decay_tick` in `src/arena.c`
//! and `src/large.c`), so frees alone return pages too, and a sleeping program, which
//! makes no calls, returns nothing. With `background_thread:true` a jemalloc thread
//! purges them on its own, here within 2 seconds with a 200 ms decay.

use std::path::Path;

use ch14_benchmarks::Allocator;
use ch14_benchmarks::workers::{readings, run_worker_with};

fn jemalloc_worker(args: &[&str], env: &[(&str, &str)]) -> String {
    let worker = Path::new(env!("CARGO_BIN_EXE_bench-jemalloc"));
    run_worker_with(worker, args, env, Allocator::Jemalloc)
        .unwrap_or_else(|err| panic!("{err}"))
}

/// Resident bytes of the readings of `phase`, in order.
fn resident(stdout: &str, phase: &str) -> Vec<f64> {
    let needle = format!("phase={phase} ");
    stdout
        .lines()
        .filter(|line| line.contains(&needle))
        .flat_map(|line| readings(line, "rss", "bytes"))
        .collect()
}

/// Resident bytes right after freeing 90% of 64 MiB, and 2 s later.
fn at_once_and_later(env: &[(&str, &str)]) -> (f64, f64) {
    let stdout = jemalloc_worker(&["rss", "64", "0,2"], env);
    let freed = resident(&stdout, "freed");
    assert_eq!(freed.len(), 2, "expected two idle readings, saw:\n{stdout}");
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

/// Frees alone advance jemalloc's decay: with a 200 ms decay and no background thread,
/// 64 MiB of freed pages stay resident through a second of sleep, and go back to the
/// kernel as the program frees 12,000 other blocks (never written, so never resident)
/// over about 1.2 s, allocating nothing. jemalloc checks its clock on about one tick in
/// 1,000, so those frees give it a dozen chances, spread over six decay times.
#[test]
fn frees_alone_let_jemalloc_return_decayed_pages() {
    let stdout = jemalloc_worker(
        &["rss-frees", "64", "1", "12000"],
        &[("_RJEM_MALLOC_CONF", "dirty_decay_ms:200")],
    );
    let peak = resident(&stdout, "peak");
    let freed = resident(&stdout, "freed");
    let after_frees = resident(&stdout, "after-frees");
    assert!(
        peak.len() == 1 && freed.len() == 2 && after_frees.len() == 1,
        "expected a peak, two idle readings and one after the frees, saw:\n{stdout}"
    );
    let (peak, at_once, idle, after) = (peak[0], freed[0], freed[1], after_frees[0]);
    assert!(
        idle >= 0.95 * at_once,
        "expected the idle second to return nothing: {at_once} bytes at once, {idle} after 1 s"
    );
    let written = f64::from(64u32 << 20);
    assert!(
        after <= peak - 0.5 * written,
        "expected the frees to return at least half of the 64 MiB written: {peak} bytes at the \
         peak, {idle} after the idle second, {after} after the frees"
    );
}
