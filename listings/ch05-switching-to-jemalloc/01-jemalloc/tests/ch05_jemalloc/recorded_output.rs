//! The output chapter 5 shows, regenerated and compared (`BLESS=1` rewrites it).
// Linux with glibc only: the recorded output shows glibc's counters, recorded there.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::recorded::{Recording, check_transcript};
use ch03_probe::symbols::probe_symbols_transcript;

const LISTING: &str = "listings/ch05-switching-to-jemalloc/01-jemalloc";

#[test]
fn jemalloc_output_matches_the_recording() {
    Recording::cargo_run(
        "ch05-jemalloc",
        "ch05-jemalloc",
        env!("CARGO_BIN_EXE_ch05-jemalloc"),
    )
    .arg("100")
    .arg("65536")
    .arg("1048576")
    .check(format!("{LISTING}/recorded/jemalloc.txt"));
}

#[test]
fn symbols_output_matches_the_recording() {
    let transcript = probe_symbols_transcript(&[env!("CARGO_BIN_EXE_ch05-jemalloc")])
        .unwrap_or_else(|err| panic!("{err}"));
    check_transcript(format!("{LISTING}/recorded/symbols.txt"), &transcript);
}
