//! The binary built both ways, each measured: with `--features jemalloc` jemalloc serves it, and
//! without, glibc does. `cargo test --workspace` builds the package without the feature; this test
//! builds it on its own, once with and once without, in child cargos that share the workspace's
//! target directory (and so its jemalloc build).
// Linux with glibc only: reads glibc's counters (`mallinfo2`) in both builds.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::PathBuf;

use book_harness::recorded::Recording;
use book_harness::separate_workspace::SeparateWorkspace;
use ch03_probe::run::{assert_glibc_served, assert_jemalloc_served, readings_for};

const SIZES: [usize; 3] = [100, 64 << 10, 1 << 20];
const LISTING: &str = "listings/ch06-choosing-at-build-time/01-allocator-feature";

/// Builds this package alone with the extra cargo arguments `features`, and returns the binary.
fn build(features: &[&str]) -> PathBuf {
    let package = SeparateWorkspace::root_member(LISTING);
    let mut args = vec!["build"];
    args.extend_from_slice(features);
    let run = package.cargo(&args).assert_success();
    // The workspace build compiled this jemalloc configuration already.
    assert!(
        !run.compiled("tikv-jemalloc-sys"),
        "the child cargo compiled jemalloc again instead of reusing the workspace's build:\n{run}"
    );
    package.target_dir().join("debug/ch06-allocator-feature")
}

/// The run the book shows: the command a reader types, and the binary's output.
fn record(exe: &PathBuf, shown: &str, recording: &str) -> String {
    let mut run = Recording::new(exe, shown);
    for size in SIZES {
        run = run.arg(&size.to_string());
    }
    run.check(format!("{LISTING}/recorded/{recording}")).output
}

// Both builds write the same file, target/debug/ch06-allocator-feature, so they run one after the
// other in one test. The build without the feature comes last: it leaves the file as
// `cargo test --workspace` built it.
#[test]
fn each_build_runs_on_the_allocator_its_feature_chose() {
    // ANCHOR: jemalloc_build
    let jemalloc = build(&["--features", "jemalloc"]);
    for r in readings_for(&jemalloc, &SIZES) {
        assert_jemalloc_served(&r);
    }
    // ANCHOR_END: jemalloc_build
    let shown = "cargo run -q -p ch06-allocator-feature --features jemalloc";
    let output = record(&jemalloc, shown, "with-feature.txt");
    assert!(
        output.starts_with("allocator chosen at build time: jemalloc\n"),
        "{output}"
    );

    let system = build(&[]);
    for r in readings_for(&system, &SIZES) {
        assert_glibc_served(&r);
    }
    let output = record(
        &system,
        "cargo run -q -p ch06-allocator-feature",
        "without-feature.txt",
    );
    assert!(
        output.starts_with("allocator chosen at build time: System\n"),
        "{output}"
    );
}
