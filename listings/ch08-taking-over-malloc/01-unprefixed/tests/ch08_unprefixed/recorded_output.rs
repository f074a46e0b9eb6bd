//! The output chapter 8 shows, regenerated and compared (`BLESS=1` rewrites it). The commands are
//! shown as a reader runs them from this listing's directory. `strdup`'s readings are not recorded:
//! jemalloc's `stats.allocated` moved by a few kilobytes from run to run there; the test in
//! `c_malloc.rs` checks them.
// Linux with glibc only: the recorded output shows glibc's counters, recorded there.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::recorded::{Recording, check_transcript};
use ch03_probe::symbols::probe_symbols_transcript;

const RECORDED: &str = "listings/ch08-taking-over-malloc/01-unprefixed/recorded";

fn run(bin: &str, exe: &str) -> Recording {
    Recording::new(exe, &format!("cargo run -q --bin {bin}"))
}

#[test]
fn c_heap_malloc_output_matches_the_recording() {
    run("ch08-c-heap", env!("CARGO_BIN_EXE_ch08-c-heap"))
        .arg("malloc")
        .arg("100")
        .arg("65536")
        .arg("1048576")
        .check(format!("{RECORDED}/c-heap-malloc.txt"));
}

#[test]
fn no_global_allocator_output_matches_the_recording() {
    run(
        "ch08-no-global-allocator",
        env!("CARGO_BIN_EXE_ch08-no-global-allocator"),
    )
    .arg("100")
    .arg("65536")
    .arg("1048576")
    .check(format!("{RECORDED}/no-global-allocator.txt"));
}

#[test]
fn symbols_output_matches_the_recording() {
    // The path as the root workspace's target directory names it, however cargo was given it.
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_ch08-c-heap")).expect("the binary exists");
    let transcript =
        probe_symbols_transcript(&[&exe.to_string_lossy()]).unwrap_or_else(|err| panic!("{err}"));
    check_transcript(format!("{RECORDED}/symbols.txt"), &transcript);
}
