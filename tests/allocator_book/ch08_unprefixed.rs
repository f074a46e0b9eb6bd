//! Chapter 8's listing is a separate workspace: its jemalloc is built unprefixed, which Cargo would
//! switch on for every member of this workspace. Its tests run here, in a child cargo.
//! Unprefixed `malloc` is supported on Linux; the tests read glibc's counters.
// Linux with glibc only: chapter 8's takeover of `malloc` is measured against glibc.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::separate_workspace::SeparateWorkspace;

#[test]
fn the_unprefixed_workspace_passes_its_tests() {
    SeparateWorkspace::at("listings/ch08-taking-over-malloc/01-unprefixed").test();
}
