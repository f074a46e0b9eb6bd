//! Running the binary by hand: it needs two shared libraries that are in no system directory,
//! the toolchain's `libstd-*.so` and the jemalloc dylib. Then its own `Box`es go to jemalloc.
// Linux with glibc only: it sets `LD_LIBRARY_PATH` for glibc's loader and reads glibc's counters
// (`mallinfo2`).
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::Path;

use book_harness::recorded::Recording;
use ch03_probe::Verdict;
use ch03_probe::run::assert_served_by;

use crate::common;

const RECORDED: &str = "listings/ch10-rust-dylib/01-rust-dylib/recorded";
const BINARY: &str = env!("CARGO_BIN_EXE_ch10-rust-dylib");

/// Cargo builds the dylib into `target/debug/deps`, next to the binary's `target/debug`.
fn deps_dir() -> String {
    let debug = Path::new(BINARY)
        .parent()
        .expect("the binary lies in target/debug");
    debug.join("deps").to_string_lossy().into_owned()
}

/// The binary as a shell would start it: without the `LD_LIBRARY_PATH` that `cargo test` set.
fn from_a_shell(shown: &str) -> Recording {
    Recording::new(BINARY, shown).env_remove("LD_LIBRARY_PATH")
}

#[test]
fn from_a_shell_the_binary_does_not_find_the_dylib() {
    let ran = from_a_shell("target/debug/ch10-rust-dylib")
        .check(format!("{RECORDED}/no-library-path.txt"));
    assert_eq!(ran.status.code(), Some(127), "{}", ran.output);
    assert!(
        ran.output.contains("error while loading shared libraries")
            && ran.output.contains("libch10_jemalloc_dylib.so"),
        "{}",
        ran.output
    );
}

#[test]
fn the_dylib_alone_is_not_enough_std_is_a_shared_library_too() {
    let ran = from_a_shell("LD_LIBRARY_PATH=target/debug/deps target/debug/ch10-rust-dylib")
        .hidden_env("LD_LIBRARY_PATH", deps_dir())
        .check(format!("{RECORDED}/dylib-path-only.txt"));
    assert_eq!(ran.status.code(), Some(127), "{}", ran.output);
    assert!(ran.output.contains("libstd-"), "{}", ran.output);
}

#[test]
fn with_both_directories_the_binarys_own_boxes_go_to_jemalloc() {
    let recording = from_a_shell(
        "LD_LIBRARY_PATH=$(rustc --print target-libdir):target/debug/deps target/debug/ch10-rust-dylib",
    )
    .hidden_env("LD_LIBRARY_PATH", format!("{}:{}", common::target_libdir(), deps_dir()));
    let shown = recording.shown_command();
    let ran = recording.run();
    book_harness::recorded::check_transcript(
        format!("{RECORDED}/by-hand.txt"),
        &format!("{shown}\n{}", ran.output),
    );
    assert!(ran.status.success(), "{}", ran.output);
    let readings = ch03_probe::reading::parse_all(&ran.output).expect("valid readings");
    assert_eq!(readings.len(), 2, "{}", ran.output);
    for reading in &readings {
        assert_served_by(reading, Verdict::Jemalloc);
    }
}

#[test]
fn under_cargo_the_library_path_is_set_for_you() {
    // `cargo test` (like `cargo run`) puts both directories on LD_LIBRARY_PATH; the child inherits it.
    let readings = ch03_probe::run::readings_of(BINARY, &["100"]);
    assert_served_by(&readings[0], Verdict::Jemalloc);
}
