//! Two deliberate memory bugs, for chapter 18's tools to find: a write one byte past the end of a
//! heap block, and a block that is never freed. The binaries `on-system` and `on-jemalloc` run
//! them on each allocator: `<binary> overflow` or `<binary> leak`.

use std::hint::black_box;

// ANCHOR: overflow
/// The size of the block that [`overflow_by_one`] writes past.
pub const BLOCK: usize = 32;

/// Writes one byte just past the end of a fresh heap block of [`BLOCK`] bytes. A deliberate bug.
#[inline(never)]
pub fn overflow_by_one() {
    let mut block = vec![0u8; BLOCK];
    let start = block.as_mut_ptr();
    // SAFETY: none; this is the bug the chapter's tools must find. The write lands one byte past
    // the block: outside it, but inside what the allocator reserved (glibc's chunk of a 32-byte
    // request has 8 spare bytes, jemalloc's 32-byte class touches the next region), so the program
    // runs on without a crash, which is what makes such a bug hard to see.
    unsafe { start.add(BLOCK).write(1) };
    black_box(&block);
}
// ANCHOR_END: overflow

// ANCHOR: leak
/// What [`leak`] loses.
pub const LEAKED: usize = 4096;

/// Allocates [`LEAKED`] bytes and forgets them: no pointer to the block remains. A deliberate bug.
#[inline(never)]
pub fn leak() {
    let block = black_box(vec![7u8; LEAKED]);
    std::mem::forget(block);
}
// ANCHOR_END: leak

/// Runs the bug named by the first argument; returns what to print on a wrong one.
pub fn run_from_args() -> Result<(), String> {
    match std::env::args().nth(1).as_deref() {
        Some("overflow") => overflow_by_one(),
        Some("leak") => leak(),
        other => return Err(format!("expected `overflow` or `leak`, got {other:?}")),
    }
    println!("done");
    Ok(())
}
