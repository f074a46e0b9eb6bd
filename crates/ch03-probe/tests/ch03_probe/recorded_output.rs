//! The output chapter 3 shows, regenerated and compared (`BLESS=1` rewrites it).
// Linux with glibc only: the recorded output shows glibc's counters, recorded there.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::recorded::Recording;

const LISTING: &str = "crates/ch03-probe/recorded";

#[test]
fn probe_system_output_matches_the_recording() {
    Recording::cargo_run(
        "ch03-probe",
        "probe-system",
        env!("CARGO_BIN_EXE_probe-system"),
    )
    .check(format!("{LISTING}/probe-system.txt"));
}

#[test]
fn probe_jemalloc_output_matches_the_recording() {
    Recording::cargo_run(
        "ch03-probe",
        "probe-jemalloc",
        env!("CARGO_BIN_EXE_probe-jemalloc"),
    )
    .check(format!("{LISTING}/probe-jemalloc.txt"));
}

#[test]
fn probe_symbols_output_matches_the_recording() {
    Recording::cargo_run(
        "ch03-probe",
        "probe-symbols",
        env!("CARGO_BIN_EXE_probe-symbols"),
    )
    .arg(env!("CARGO_BIN_EXE_probe-system"))
    .arg(env!("CARGO_BIN_EXE_probe-jemalloc"))
    .check(format!("{LISTING}/probe-symbols.txt"));
}
