//! A C host linked against the cdylib at build time: the library's Rust allocations go to its
//! jemalloc, the host's own `malloc` stays glibc's.
// Linux with glibc only: the C host reads glibc's counters (`mallinfo2`).
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use crate::common;

use common::{RECORDED, assert_library_on_jemalloc_and_host_on_glibc, linked_host};

#[test]
fn the_library_allocates_with_jemalloc_and_the_host_mallocs_with_glibc() {
    let host = linked_host();
    host.check_command(format!("{RECORDED}/build-linked-host.txt"));
    let ran = host
        .recording()
        .check(format!("{RECORDED}/linked-host.txt"));
    assert_library_on_jemalloc_and_host_on_glibc(&ran);
}
