//! Memory freed by the wrong allocator, each case in its own child process: the test asserts how
//! the child died. The library's global allocator is jemalloc; the C program's `free` is glibc's.
// Linux with glibc only: each case dies the way glibc's `free` reacts, as the test asserts.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use crate::common;

use std::os::unix::process::ExitStatusExt;

use common::{RECORDED, program};

#[test]
fn freeing_the_librarys_string_with_c_free_aborts() {
    let ran = program("free_with_c")
        .recording()
        .check(format!("{RECORDED}/free-with-c.txt"));
    assert_eq!(ran.status.signal(), Some(libc::SIGABRT), "{}", ran.output);
    assert!(
        ran.output.contains("free(): invalid pointer"),
        "{}",
        ran.output
    );
    assert!(!ran.output.contains("free() returned"), "{}", ran.output);
}

#[test]
fn a_malloc_block_freed_by_the_library_crashes_the_next_allocation() {
    let ran = program("free_with_rust")
        .recording()
        .check(format!("{RECORDED}/free-with-rust.txt"));
    assert_eq!(ran.status.signal(), Some(libc::SIGSEGV), "{}", ran.output);
    // greeting_free() returned: jemalloc's thread cache took glibc's block without a check.
    // The crash came in the next greeting_new(), which got that block back.
    assert!(
        ran.output.contains("greeting_free() returned"),
        "{}",
        ran.output
    );
    assert!(!ran.output.contains("Hello"), "{}", ran.output);
}

#[test]
fn without_jemallocs_thread_cache_the_wrong_free_itself_crashes() {
    let ran = program("free_with_rust")
        .recording()
        .env("_RJEM_MALLOC_CONF", "tcache:false")
        .check(format!("{RECORDED}/free-with-rust-no-tcache.txt"));
    assert_eq!(ran.status.signal(), Some(libc::SIGSEGV), "{}", ran.output);
    assert!(
        ran.output.contains("handing a malloc'd string"),
        "{}",
        ran.output
    );
    assert!(
        !ran.output.contains("greeting_free() returned"),
        "{}",
        ran.output
    );
}
