//! Chapter 16.2: the system's jemalloc (Debian's libjemalloc-dev, jemalloc 5.3.0) in place of the
//! one tikv-jemalloc-sys compiles (5.3.1), through `JEMALLOC_OVERRIDE`. These tests run in the
//! second test command, which installs the package. Every build with `JEMALLOC_OVERRIDE` goes to
//! its own target directory: tikv-jemalloc-sys reruns its build script when the variable changes,
//! so in the shared one it would replace the jemalloc the other tests use.
// Linux with glibc only: Debian's library is for x86_64 Linux with glibc, and the prefixed build's
// link error is rust-lld's, the default linker for x86_64 Linux since Rust 1.90.
#![cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]

use std::collections::BTreeSet;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};

use book_harness::recorded::{Ran, Recording};
use book_harness::separate_workspace::SeparateWorkspace;
use book_harness::{recorded, repo};

/// Debian's static jemalloc, from libjemalloc-dev.
const SYSTEM_JEMALLOC: &str = "/usr/lib/x86_64-linux-gnu/libjemalloc.a";
/// Under the root's target directory: the builds that link the system's jemalloc.
const SYSTEM_DIR: &str = "system-jemalloc";
const LISTING: &str = "listings/ch16-03-system-jemalloc/01-system-jemalloc";
const BIN: &str = "ch16-03-system-jemalloc";

/// The signal of an invalid memory access, on Linux.
const SIGSEGV: i32 = 11;

fn require_system_jemalloc() {
    assert!(
        Path::new(SYSTEM_JEMALLOC).is_file(),
        "{SYSTEM_JEMALLOC} is missing; this test needs the system's jemalloc. Install it with \
         `sudo apt-get install libjemalloc-dev` (Debian/Ubuntu; `.ci/run` does this)."
    );
}

fn system_target_dir() -> PathBuf {
    repo::target_dir().join(SYSTEM_DIR)
}

/// The listing linked with the system's jemalloc.
fn system_build() -> PathBuf {
    require_system_jemalloc();
    let workspace = SeparateWorkspace::at(LISTING)
        .env("JEMALLOC_OVERRIDE", SYSTEM_JEMALLOC)
        .in_target_dir(system_target_dir());
    workspace.cargo(&["build"]).assert_success();
    system_target_dir().join("debug").join(BIN)
}

/// The listing with the jemalloc tikv-jemalloc-sys compiles, in the shared target directory
/// (chapter 8's listing has already compiled that jemalloc there).
fn vendored_build() -> PathBuf {
    SeparateWorkspace::at(LISTING)
        .cargo(&["build"])
        .assert_success();
    repo::target_dir().join("debug").join(BIN)
}

/// A value the listing printed after `label:`.
fn value<'a>(ran: &'a Ran, label: &str) -> &'a str {
    ran.output
        .lines()
        .find_map(|line| line.strip_prefix(label)?.strip_prefix(": "))
        .unwrap_or_else(|| panic!("expected a line `{label}: ...` in:\n{}", ran.output))
}

#[test]
#[ignore = "needs jeprof (Debian package libjemalloc-dev) for its libjemalloc.a: the second test command runs it"]
fn a_prefixed_build_does_not_link_with_the_system_jemalloc() {
    require_system_jemalloc();
    let run = SeparateWorkspace::root_member("listings/ch05-switching-to-jemalloc/01-jemalloc")
        .env("JEMALLOC_OVERRIDE", SYSTEM_JEMALLOC)
        .in_target_dir(system_target_dir())
        .cargo(&["build"])
        .assert_failure();
    // The linker names each missing symbol once per error, with the objects that refer to it
    // after it: keep the names, which do not depend on the build.
    let missing: BTreeSet<&str> = run
        .output
        .lines()
        .filter_map(|line| line.split_once("error: undefined symbol: "))
        .map(|(_, symbol)| symbol.trim())
        .collect();
    assert!(
        missing.contains("_rjem_malloc") && missing.contains("_rjem_mallctl"),
        "expected the link to miss jemalloc's prefixed functions, it missed {missing:?}: {run}"
    );
    let mut transcript = format!(
        "$ JEMALLOC_OVERRIDE={SYSTEM_JEMALLOC} cargo build -p ch05-jemalloc\n\
         (the linker's errors, one line per symbol)\n"
    );
    for symbol in &missing {
        transcript.push_str(&format!("error: undefined symbol: {symbol}\n"));
    }
    recorded::check_transcript(
        "listings/ch16-03-system-jemalloc/01-system-jemalloc/recorded/prefixed.txt",
        &transcript,
    );
}

#[test]
#[ignore = "needs jeprof (Debian package libjemalloc-dev) for its libjemalloc.a: the second test command runs it"]
fn the_system_jemalloc_is_5_3_0_unprefixed_and_serves_c_malloc() {
    let system = system_build();
    // With JEMALLOC_OVERRIDE, tikv-jemalloc-sys's build script compiles nothing.
    let compiled: Vec<PathBuf> = std::fs::read_dir(system_target_dir().join("debug/build"))
        .expect("the build wrote its build scripts' directories")
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with("tikv-jemalloc-sys-")
        })
        .map(|entry| entry.path().join("out/lib"))
        .filter(|lib| lib.exists())
        .collect();
    assert!(
        compiled.is_empty(),
        "expected no jemalloc compiled with JEMALLOC_OVERRIDE, found {compiled:?}"
    );
    let ran = Recording::new(
        &system,
        "target/system-jemalloc/debug/ch16-03-system-jemalloc",
    )
    .env("MALLOC_CONF", "narenas:3")
    .check("listings/ch16-03-system-jemalloc/01-system-jemalloc/recorded/system.txt");
    assert!(
        ran.status.success(),
        "expected the program to run, it ended with {}: {}",
        ran.status,
        ran.output
    );
    assert!(
        value(&ran, "jemalloc version").starts_with("5.3.0-"),
        "expected Debian's jemalloc 5.3.0: {}",
        ran.output
    );
    assert_eq!(
        value(&ran, "arenas (opt.narenas)"),
        "3",
        "expected the system's jemalloc to read MALLOC_CONF: {}",
        ran.output
    );
    assert_eq!(
        value(&ran, "C's malloc(100) comes from jemalloc"),
        "yes",
        "expected the unprefixed system jemalloc to be C's malloc: {}",
        ran.output
    );
    // The `_RJEM_` prefix is for a prefixed jemalloc: this one does not read it.
    let ran = Recording::new(&system, "")
        .env("_RJEM_MALLOC_CONF", "narenas:3")
        .run();
    assert_ne!(
        value(&ran, "arenas (opt.narenas)"),
        "3",
        "expected the unprefixed jemalloc to ignore _RJEM_MALLOC_CONF: {}",
        ran.output
    );

    let ran = Recording::new(vendored_build(), "target/debug/ch16-03-system-jemalloc")
        .env("MALLOC_CONF", "narenas:3")
        .check("listings/ch16-03-system-jemalloc/01-system-jemalloc/recorded/vendored.txt");
    assert!(
        ran.status.success() && value(&ran, "jemalloc version").starts_with("5.3.1-"),
        "expected the jemalloc tikv-jemalloc-sys 0.7.1 compiles, 5.3.1: {}",
        ran.output
    );
}

#[test]
#[ignore = "needs jeprof (Debian package libjemalloc-dev) for its libjemalloc.a: the second test command runs it"]
fn arenas_lookup_of_a_foreign_address_crashes_jemalloc_5_3_0() {
    let ran = Recording::new(
        system_build(),
        "target/system-jemalloc/debug/ch16-03-system-jemalloc",
    )
    .arg("lookup-stack")
    .check("listings/ch16-03-system-jemalloc/01-system-jemalloc/recorded/system-lookup-stack.txt");
    assert_eq!(
        ran.status.signal(),
        Some(SIGSEGV),
        "expected jemalloc 5.3.0 to crash on arenas.lookup of a stack address, got {}: {}",
        ran.status,
        ran.output
    );
    let ran = Recording::new(vendored_build(), "target/debug/ch16-03-system-jemalloc")
        .arg("lookup-stack")
        .check("listings/ch16-03-system-jemalloc/01-system-jemalloc/recorded/vendored-lookup-stack.txt");
    assert!(
        ran.status.success() && value(&ran, "jemalloc owns a stack address") == "no",
        "expected jemalloc 5.3.1 to answer that it does not own a stack address: {}",
        ran.output
    );
}
