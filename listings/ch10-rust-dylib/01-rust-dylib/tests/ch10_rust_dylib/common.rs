//! What the tests of `std_allocations.rs` and `shim_symbols.rs` share: the toolchain's library
//! directory and the two builds of `ch10-allocator-in-binary`.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::LazyLock;

use book_harness::separate_workspace::SeparateWorkspace;

const WORKSPACE: &str = "listings/ch10-rust-dylib";

/// `rustc --print target-libdir`: where the toolchain keeps `libstd-*.so`.
pub fn target_libdir() -> String {
    let output = Command::new("rustc")
        .args(["--print", "target-libdir"])
        .output()
        .expect("rustc runs");
    assert!(
        output.status.success(),
        "rustc --print target-libdir failed"
    );
    String::from_utf8(output.stdout)
        .expect("a UTF-8 path")
        .trim()
        .to_owned()
}

/// Builds a binary of `ch10-allocator-in-binary` with `cargo <args>` and returns its path.
fn build(args: &[&str], bin: &str) -> PathBuf {
    let workspace = SeparateWorkspace::at(WORKSPACE);
    let run = workspace.cargo(args);
    assert!(run.status.success(), "{run}");
    workspace.target_dir().join("debug").join(bin)
}

/// `static-std`: jemalloc declared in the binary, built as usual.
pub static STATIC_STD: LazyLock<PathBuf> = LazyLock::new(|| {
    build(
        &[
            "build",
            "-q",
            "-p",
            "ch10-allocator-in-binary",
            "--bin",
            "static-std",
        ],
        "static-std",
    )
});

/// `shared-std`: the same code, built with `-C prefer-dynamic` (only the final `rustc` call gets
/// the flag: it decides how std is linked).
// ANCHOR: shared_std_build
pub const SHARED_STD_BUILD: [&str; 9] = [
    "rustc",
    "-q",
    "-p",
    "ch10-allocator-in-binary",
    "--bin",
    "shared-std",
    "--",
    "-C",
    "prefer-dynamic",
];
// ANCHOR_END: shared_std_build
pub static SHARED_STD: LazyLock<PathBuf> = LazyLock::new(|| build(&SHARED_STD_BUILD, "shared-std"));
