//! Valgrind's memcheck on the jemalloc binary: it counts the `malloc` calls it intercepts, and
//! jemalloc (which removed its Valgrind support in 5.0.0) makes none for the program's Rust heap.
// Valgrind and glibc's counters: Linux with glibc only.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::process::Command;

/// The probe allocates one batch of this many blocks per size it is given.
const BATCH: u64 = 64;

/// The `N` of memcheck's "total heap usage: N allocs, ..." line.
fn allocs_seen_by_memcheck(stderr: &str) -> u64 {
    let line = stderr
        .lines()
        .find(|line| line.contains("total heap usage:"))
        .unwrap_or_else(|| panic!("memcheck printed no heap summary:\n{stderr}"));
    let count = line
        .split("total heap usage:")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default()
        .replace(',', "");
    count
        .parse()
        .unwrap_or_else(|err| panic!("no count of allocs in {line:?}: {err}"))
}

#[test]
#[ignore = "needs valgrind (Debian package valgrind): the second test command runs it"]
fn memcheck_sees_none_of_jemallocs_blocks() {
    let valgrind = book_harness::tools::require("valgrind", "valgrind");
    let output = Command::new(valgrind)
        .args(["--tool=memcheck", "--error-exitcode=99"])
        .arg(env!("CARGO_BIN_EXE_ch05-jemalloc"))
        .args(["100", "65536", "1048576"])
        .output()
        .expect("valgrind starts");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the binary under memcheck ended with {}:\n{stderr}",
        output.status
    );
    // Three batches of 64 blocks went through the global allocator. Had memcheck seen them, it
    // would count at least 192 allocations; it sees only C's own few.
    let seen = allocs_seen_by_memcheck(&stderr);
    assert!(
        seen < BATCH,
        "memcheck saw {seen} allocations; expected fewer than one batch of {BATCH}, since jemalloc \
         serves the program's heap without calling malloc"
    );
}

#[test]
fn the_heap_summary_is_parsed() {
    let stderr = "==1==   total heap usage: 1,226 allocs, 225 frees, 71,318,120 bytes allocated\n";
    assert_eq!(allocs_seen_by_memcheck(stderr), 1226);
}
