//! With C's `malloc` on jemalloc, chapter 13's "library frees C's string" no longer crashes at
//! once, but it is only harmless when the size Rust frees with falls in the block's size class.
// Unprefixed jemalloc replaces malloc on Linux; the mistake is made through glibc-linked C calls.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::recorded::Recording;

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch08-wrong-size-free");

#[test]
fn a_block_freed_with_a_smaller_size_is_filed_under_that_size() {
    let ran = Recording::new(PROGRAM, "cargo run -q --bin ch08-wrong-size-free")
        .arg("3")
        .arg("100")
        .check("listings/ch08-taking-over-malloc/01-unprefixed/recorded/wrong-size-free.txt");
    assert!(ran.status.success(), "expected a clean exit: {ran:?}");
    let lines: Vec<&str> = ran.output.lines().collect();
    // 3 bytes: the size Rust frees with is the size C asked for, so the block goes back to its
    // own size class (8 bytes), and the next 8-byte malloc reuses it, as it should.
    assert!(
        lines[0].starts_with("malloc(3) usable=8,") && lines[0].ends_with("gets it: yes"),
        "expected a 3-byte block in the 8-byte class, reused: {lines:?}"
    );
    // 100 bytes live in the 112-byte class, but jemalloc files the block under the 8-byte class
    // it was told: the next 8-byte malloc hands out part of a 112-byte slab.
    assert!(
        lines[1].starts_with("malloc(100) usable=112,") && lines[1].ends_with("gets it: yes"),
        "expected a 112-byte block handed out again as an 8-byte one: {lines:?}"
    );
}
