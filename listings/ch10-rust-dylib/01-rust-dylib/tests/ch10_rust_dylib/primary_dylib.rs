//! Cargo gives a dylib `-C prefer-dynamic` only when it builds it as a dependency. Built as a
//! primary package (`cargo build --workspace`), the dylib carries its own static copy of std, and
//! a binary linking it fails. The fixture has no dependencies, so each build goes to a throwaway
//! target directory: the two builds must not share one, because a dylib's file name has no hash
//! and the second build would reuse the first's file.

use std::process::Command;

const FIXTURE: &str = "listings/ch10-rust-dylib/01-rust-dylib/tests/fixtures/primary-dylib";

fn build(args: &[&str], target: &str) -> (bool, String) {
    let root = book_harness::repo::root();
    let target_dir = std::env::temp_dir().join(format!(
        "ch10-primary-dylib-{target}-{}",
        std::process::id()
    ));
    let mut command = Command::new(book_harness::repo::cargo());
    command
        .arg("build")
        .args(["--locked", "-v", "--manifest-path"])
        .arg(root.join(FIXTURE).join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        .args(args)
        .env_remove("CARGO_TARGET_DIR");
    let (status, output) = book_harness::process::run_merged(command).expect("cargo runs");
    let _ = std::fs::remove_dir_all(&target_dir);
    (status.success(), output)
}

/// Whether cargo's rustc command for the dylib (`cargo build -v` prints it) has `-C prefer-dynamic`.
fn dylib_prefers_dynamic(output: &str) -> bool {
    let command = output
        .lines()
        .find(|line| {
            line.contains("Running") && line.contains("--crate-name ch10_primary_dylib_plugin")
        })
        .unwrap_or_else(|| panic!("cargo did not compile the dylib:\n{output}"));
    command.contains("-C prefer-dynamic")
}

#[test]
fn the_binary_alone_builds_and_links_the_dylib_dynamically() {
    let (built, output) = build(&[], "binary-only");
    assert!(built, "{output}");
    assert!(dylib_prefers_dynamic(&output), "{output}");
}

#[test]
fn with_the_dylib_as_a_primary_package_the_binary_does_not_link() {
    let (built, output) = build(&["--workspace"], "workspace");
    assert!(!built, "the build should fail:\n{output}");
    assert!(!dylib_prefers_dynamic(&output), "{output}");
    assert!(
        output.contains("cannot satisfy dependencies so `std` only shows up once"),
        "{output}"
    );
}
