//! Chapter 10's Rust dylib and the binary that links it are their own workspace
//! (`listings/ch10-rust-dylib`): a dylib built as a primary package of a workspace build links std
//! statically, and the binary then fails to link. This runs that workspace's tests (written for
//! Linux with glibc: they set `LD_LIBRARY_PATH` and read glibc's counters).
// Linux with glibc only: that workspace's tests set `LD_LIBRARY_PATH` and read `mallinfo2`.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::separate_workspace::SeparateWorkspace;

#[test]
fn the_rust_dylib_workspace_passes_its_tests() {
    SeparateWorkspace::at("listings/ch10-rust-dylib").test();
}

/// The workspace's default member is the dylib's binary alone, so its `cargo test` runs no
/// doctest of `ch10-std-allocations` (a `lib`, whose examples Cargo runs); this runs them.
#[test]
fn the_std_allocations_doctests_pass() {
    SeparateWorkspace::at("listings/ch10-rust-dylib")
        .cargo(&["test", "--doc", "-p", "ch10-std-allocations"])
        .assert_success();
}
