//! Why jemalloc falls behind on large touched blocks: its default `oversize_threshold`
//! is 8 MiB, so the 8 MiB block goes to an arena that hands its pages back to the
//! kernel at once, and every cycle faults all 2048 pages of it in again. glibc and
//! mimalloc keep the pages between cycles, and mimalloc maps them in 2 MiB transparent
//! huge pages, one fault each. The counts are the workers' minor page faults during the
//! workload (`getrusage`).

use std::path::Path;

use ch14_benchmarks::Allocator;
use ch14_benchmarks::workers::{reading, run_worker_with};

const CYCLES: i64 = 10;
/// Pages of the 8 MiB block, and of one whole cycle (64 KiB + ... + 8 MiB, just under
/// 16 MiB).
const PAGES_8_MIB: i64 = 2048;
const PAGES_PER_CYCLE: i64 = 4080;

fn faults(exe: &str, env: &[(&str, &str)], allocator: Allocator) -> i64 {
    let args = ["run", "large-touched", &CYCLES.to_string()];
    let stdout = run_worker_with(Path::new(exe), &args, env, allocator)
        .unwrap_or_else(|err| panic!("{err}"));
    reading(&stdout, "result", "minor_faults").unwrap_or_else(|err| panic!("{err}"))
        as i64
}

#[test]
fn jemalloc_faults_the_8_mib_block_in_again_every_cycle() {
    let faults = faults(
        env!("CARGO_BIN_EXE_bench-jemalloc"),
        &[],
        Allocator::Jemalloc,
    );
    assert!(
        faults >= CYCLES * PAGES_8_MIB * 9 / 10,
        "only {faults} faults in {CYCLES} cycles"
    );
}

#[test]
fn above_the_oversize_threshold_jemalloc_keeps_the_pages() {
    let faults = faults(
        env!("CARGO_BIN_EXE_bench-jemalloc"),
        &[("_RJEM_MALLOC_CONF", "oversize_threshold:16777216")],
        Allocator::Jemalloc,
    );
    assert!(
        faults < 2 * PAGES_PER_CYCLE,
        "{faults} faults in {CYCLES} cycles"
    );
}

#[test]
fn glibc_keeps_the_pages_after_the_first_cycles() {
    let faults = faults(env!("CARGO_BIN_EXE_bench-system"), &[], Allocator::System);
    assert!(
        faults < 3 * PAGES_PER_CYCLE,
        "{faults} faults in {CYCLES} cycles"
    );
}

#[test]
fn mimalloc_takes_at_most_one_fault_per_2_mib() {
    // 16 MiB a cycle in 4 KiB pages would be 4080 faults; one per 2 MiB is 8. Huge
    // pages need the kernel's THP mode to be `always` or `madvise` (this book's
    // machines: `madvise`).
    let mode = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled")
        .unwrap_or_default();
    assert!(
        !mode.contains("[never]"),
        "transparent huge pages are off here ({mode}): this test needs them"
    );
    // The kernel hands out a huge page only when it has 2 MiB of free contiguous
    // memory; when it has none, the fault falls back to 4 KiB pages (512 faults for
    // those 2 MiB) and the kernel counts a `thp_fault_fallback`. That depends on the
    // machine's memory, not on mimalloc, so each fallback during the run (counted
    // machine-wide) allows 512 more faults.
    let fallbacks_before = thp_fault_fallbacks();
    let faults = faults(
        env!("CARGO_BIN_EXE_bench-mimalloc"),
        &[],
        Allocator::Mimalloc,
    );
    let fallbacks = thp_fault_fallbacks() - fallbacks_before;
    let allowed = CYCLES * 8 + 512 * fallbacks;
    assert!(
        faults <= allowed,
        "expected at most {allowed} faults in {CYCLES} cycles (8 per cycle, plus 512 for each of \
         the {fallbacks} huge-page fallbacks the kernel counted meanwhile); saw {faults}"
    );
    // Whether huge or not, mimalloc keeps the pages: far fewer faults than a cycle's
    // pages twice.
    assert!(
        faults < 2 * PAGES_PER_CYCLE,
        "expected mimalloc to keep its pages between cycles; saw {faults} faults"
    );
}

/// The kernel's count of page faults that wanted a transparent huge page and got 4 KiB
/// pages (`thp_fault_fallback` in /proc/vmstat), machine-wide.
fn thp_fault_fallbacks() -> i64 {
    let vmstat =
        std::fs::read_to_string("/proc/vmstat").expect("/proc/vmstat is readable");
    vmstat
        .lines()
        .find_map(|line| line.strip_prefix("thp_fault_fallback "))
        .and_then(|count| count.trim().parse().ok())
        .unwrap_or_else(|| panic!("expected a thp_fault_fallback line in /proc/vmstat"))
}

#[test]
fn without_transparent_huge_pages_mimalloc_faults_each_4_kib_page_once() {
    // mimalloc asks for transparent huge pages (madvise) unless MIMALLOC_ALLOW_THP=0.
    // Without them it faults in 4 KiB pages, but still only once: it keeps the pages
    // between cycles too.
    let faults = faults(
        env!("CARGO_BIN_EXE_bench-mimalloc"),
        &[("MIMALLOC_ALLOW_THP", "0")],
        Allocator::Mimalloc,
    );
    assert!(
        (PAGES_PER_CYCLE / 2..2 * PAGES_PER_CYCLE).contains(&faults),
        "{faults} faults in {CYCLES} cycles"
    );
}
