//! A C host linked against the cdylib at build time: the library's Rust allocations go to its
//! jemalloc, the host's own `malloc` stays glibc's.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

mod common;

use ch03_probe::Verdict;
use ch03_probe::run::assert_served_by;
use common::{RECORDED, library_and_host, linked_host};

#[test]
fn the_library_allocates_with_jemalloc_and_the_host_mallocs_with_glibc() {
    let host = linked_host();
    host.check_command(format!("{RECORDED}/build-linked-host.txt"));
    let ran = host
        .recording()
        .check(format!("{RECORDED}/linked-host.txt"));
    assert!(ran.status.success(), "{}", ran.output);
    let (library, host) = library_and_host(&ran.output);
    for reading in &library {
        assert_served_by(reading, Verdict::Jemalloc);
    }
    for reading in &host {
        assert_served_by(reading, Verdict::System);
    }
}
