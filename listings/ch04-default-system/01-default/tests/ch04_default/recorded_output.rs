//! The output chapter 4 shows, regenerated and compared (`BLESS=1` rewrites it).
// Linux with glibc only: the recorded output shows glibc's counters, recorded there.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::recorded::{Recording, check_transcript};
use ch03_probe::symbols::probe_symbols_transcript;

const LISTING: &str = "listings/ch04-default-system/01-default";

#[test]
fn default_output_matches_the_recording() {
    Recording::cargo_run(
        "ch04-default",
        "ch04-default",
        env!("CARGO_BIN_EXE_ch04-default"),
    )
    .arg("100")
    .arg("65536")
    .arg("1048576")
    .check(format!("{LISTING}/recorded/default.txt"));
}

#[test]
fn explicit_system_output_matches_the_recording() {
    Recording::cargo_run(
        "ch04-default",
        "explicit-system",
        env!("CARGO_BIN_EXE_explicit-system"),
    )
    .arg("100")
    .arg("65536")
    .arg("1048576")
    .check(format!("{LISTING}/recorded/explicit-system.txt"));
}

#[test]
fn symbols_output_matches_the_recording() {
    let transcript = probe_symbols_transcript(&[
        env!("CARGO_BIN_EXE_ch04-default"),
        env!("CARGO_BIN_EXE_explicit-system"),
    ])
    .unwrap_or_else(|err| panic!("{err}"));
    check_transcript(format!("{LISTING}/recorded/symbols.txt"), &transcript);
}
