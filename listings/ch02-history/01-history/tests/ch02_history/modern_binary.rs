//! `modern-system` (global allocator: `std::alloc::System`, declared the way 1.28 made stable)
//! measured from outside: glibc serves it, jemalloc sees nothing.
// Linux with glibc only: reads glibc's counters (`mallinfo2`), to show that glibc serves the
// binary.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::recorded::Recording;
use ch03_probe::Verdict;
use ch03_probe::run::default_readings;

const MODERN: &str = env!("CARGO_BIN_EXE_modern-system");

#[test]
fn the_modern_equivalent_is_served_by_glibc() {
    for r in default_readings(MODERN, &[100, 1 << 20]) {
        let glibc = r.glibc.expect("glibc reading on linux-gnu");
        assert!(
            glibc >= (r.requested() / 2) as i64,
            "glibc grew too little: {r}"
        );
        assert_eq!(r.jemalloc_thread, Some(0), "jemalloc allocated: {r}");
        assert_eq!(r.jemalloc_owns, Some(false), "jemalloc owns the block: {r}");
        assert_eq!(r.verdict(), Verdict::System, "{r}");
    }
}

#[test]
fn the_modern_equivalent_output_matches_the_recording() {
    let ran = Recording::cargo_run("ch02-history", "modern-system", MODERN)
        .check("listings/ch02-history/01-history/recorded/modern-system.txt");
    assert!(ran.status.success(), "{}", ran.output);
    assert!(
        ran.output.starts_with("Box::new(42) holds 42\n"),
        "{}",
        ran.output
    );
}
