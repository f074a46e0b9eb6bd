//! A library's `#[global_allocator]` takes effect only when the library is linked, and a crate
//! in `[dependencies]` is linked only when code names it. Each binary measures itself.
// Linux with glibc only: reads glibc's counters (`mallinfo2`), to tell which binary runs on
// jemalloc.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::recorded::Recording;
use ch03_probe::Verdict;
use ch03_probe::run::{assert_served_by, default_readings};

const RECORDED: &str = "listings/ch09-libraries-do-not-choose/01-libraries-do-not-choose/recorded";
const PACKAGE: &str = "ch09-libraries-do-not-choose";

#[test]
fn a_library_that_no_code_names_is_dropped_with_its_allocator() {
    for reading in default_readings(env!("CARGO_BIN_EXE_never-names-it"), &[100, 1 << 20]) {
        assert_served_by(&reading, Verdict::System);
    }
}

#[test]
fn naming_the_library_links_it_and_its_allocator_serves_the_binary() {
    for reading in default_readings(env!("CARGO_BIN_EXE_names-it"), &[100, 1 << 20]) {
        assert_served_by(&reading, Verdict::Jemalloc);
    }
}

#[test]
fn a_binary_that_declares_the_offered_type_gets_jemalloc() {
    for reading in default_readings(env!("CARGO_BIN_EXE_declares-it"), &[100, 1 << 20]) {
        assert_served_by(&reading, Verdict::Jemalloc);
    }
}

#[test]
fn the_outputs_match_the_recordings() {
    for (bin, exe) in [
        ("never-names-it", env!("CARGO_BIN_EXE_never-names-it")),
        ("names-it", env!("CARGO_BIN_EXE_names-it")),
        ("declares-it", env!("CARGO_BIN_EXE_declares-it")),
    ] {
        Recording::cargo_run(PACKAGE, bin, exe).check(format!("{RECORDED}/{bin}.txt"));
    }
}
