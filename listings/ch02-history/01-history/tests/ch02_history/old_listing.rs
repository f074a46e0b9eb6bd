//! The 2017 listing, compiled by today's stable compiler: what it says, recorded for the book.

use std::sync::OnceLock;

use book_harness::recorded::{Ran, Recording};
use book_harness::{repo, rustc};

const RECORDED: &str = "listings/ch02-history/01-history/recorded";

/// Compiles `fixtures/<fixture>.rs` the way a reader would (`rustc <file>`, from the repository
/// root, so the pinned toolchain answers) and checks rustc's output against the recording
/// `recorded/<fixture with dashes>.txt`.
fn compile_recorded(fixture: &str) -> Ran {
    let name = fixture.replace('_', "-");
    Recording::new(rustc::rustc(), "rustc")
        .current_dir(repo::root())
        // Only if the fixture unexpectedly compiled would this output path matter.
        .hidden_arg("-o")
        .hidden_arg(rustc::out_dir().join(&name))
        .arg(&format!(
            "listings/ch02-history/01-history/programs/{fixture}.rs"
        ))
        .check(format!("{RECORDED}/{name}.txt"))
}

fn old_listing() -> &'static Ran {
    static RAN: OnceLock<Ran> = OnceLock::new();
    RAN.get_or_init(|| compile_recorded("old_alloc_system"))
}

fn assert_says(ran: &Ran, expected: &str) {
    assert!(
        ran.output.contains(expected),
        "rustc did not say `{expected}`; it said:\n{}",
        ran.output
    );
}

// ANCHOR: refused
#[test]
fn the_old_listing_no_longer_compiles() {
    let ran = old_listing();
    assert_eq!(ran.status.code(), Some(1), "{}", ran.output);
    assert_says(ran, "aborting due to 3 previous errors; 1 warning emitted");
}
// ANCHOR_END: refused

#[test]
fn alloc_system_is_no_longer_a_crate() {
    assert_says(
        old_listing(),
        "error[E0463]: can't find crate for `alloc_system`",
    );
}

#[test]
fn feature_attributes_are_refused_on_stable() {
    assert_says(
        old_listing(),
        "error[E0554]: `#![feature]` may not be used on the stable release channel",
    );
}

#[test]
fn the_alloc_system_feature_is_unknown() {
    assert_says(
        old_listing(),
        "error[E0635]: unknown feature `alloc_system`",
    );
}

#[test]
fn global_allocator_is_stable_since_1_28() {
    assert_says(
        old_listing(),
        "warning: the feature `global_allocator` has been stable since 1.28.0",
    );
}

#[test]
fn allocator_api_is_still_unstable_and_tracked_in_issue_32838() {
    let ran = compile_recorded("allocator_api_today");
    assert_eq!(ran.status.code(), Some(1), "{}", ran.output);
    assert_says(
        &ran,
        "error[E0658]: use of unstable library feature `allocator_api`",
    );
    assert_says(&ran, "see issue #32838");
}

#[test]
fn the_toolchain_ships_no_allocator_crates() {
    // The compiler's own library directory: in 2017 it held liballoc_system and liballoc_jemalloc.
    let output = rustc::command()
        .args(["--print", "target-libdir"])
        .output()
        .expect("rustc runs");
    let libdir = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let crates: Vec<String> = std::fs::read_dir(&libdir)
        .unwrap_or_else(|err| panic!("cannot list {libdir}: {err}"))
        .map(|entry| {
            entry
                .expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".rlib"))
        .collect();
    let has = |prefix: &str| crates.iter().any(|name| name.starts_with(prefix));
    assert!(has("libstd-") && has("liballoc-"), "{crates:?}");
    assert!(!has("liballoc_system"), "{crates:?}");
    assert!(!has("liballoc_jemalloc"), "{crates:?}");
}
