//! Two deliberate memory bugs, for chapter 18's tools to find: a write one byte past the end of a
//! heap block, and a block that is never freed. The binaries `on-system` and `on-jemalloc` run
//! them on each allocator: `<binary> overflow` or `<binary> leak`.

use std::hint::black_box;

// ANCHOR: overflow
/// The size of the block that [`overflow_by_one`] writes past.
///
/// ```
/// assert_eq!(ch18_memory_bugs::BLOCK, 32);
/// ```
pub const BLOCK: usize = 32;

/// Writes one byte just past the end of a fresh heap block of [`BLOCK`] bytes.
/// A deliberate bug.
///
/// No example: it writes past a heap block on purpose (undefined behaviour);
/// only a child process runs it, under chapter 18's tools.
#[inline(never)]
pub fn overflow_by_one() {
    let mut block = vec![0u8; BLOCK];
    let start = block.as_mut_ptr();
    // SAFETY: none; this is the bug the chapter's tools must find. The write
    // lands one byte past the block, in memory the allocator owns (glibc's chunk
    // for 32 bytes has 8 spare bytes; jemalloc's next 32-byte region follows), so
    // the program runs on without a crash: that is what makes it hard to see.
    unsafe { start.add(BLOCK).write(1) };
    black_box(&block);
}
// ANCHOR_END: overflow

// ANCHOR: leak
/// What [`leak`] loses.
///
/// ```
/// assert_eq!(ch18_memory_bugs::LEAKED, 4096);
/// ```
pub const LEAKED: usize = 4096;

/// Allocates [`LEAKED`] bytes and forgets them: no pointer to the block remains.
/// A deliberate bug.
///
/// No example: it loses memory on purpose; chapter 18's tests run it in a
/// child process, under valgrind and heaptrack, which report the block.
#[inline(never)]
pub fn leak() {
    let block = black_box(vec![7u8; LEAKED]);
    std::mem::forget(block);
}
// ANCHOR_END: leak

// ANCHOR: stale
/// Fills a 64-byte block with 0xee and frees it, then allocates 64 bytes again
/// and reads the last byte of the new block before writing it: a read of memory
/// the program never wrote, the bug that jemalloc's `junk` and `zero` options
/// make visible. Returns whether the allocator handed back the same block, and
/// the byte read.
///
/// No example: it reads memory it never wrote on purpose (undefined
/// behaviour); only a child process runs it, with jemalloc's `junk` and `zero`
/// options.
#[inline(never)]
pub fn read_before_write() -> (bool, u8) {
    let layout = std::alloc::Layout::new::<[u8; 64]>();
    // SAFETY: the allocations and frees are paired and use `layout`, which has a
    // non-zero size; the null checks stop on allocation failure. The
    // `read_volatile` of bytes never written is the deliberate bug: Rust forbids
    // reading uninitialised memory, and this program does it only to show what
    // the allocator left there.
    unsafe {
        let first = std::alloc::alloc(layout);
        assert!(!first.is_null(), "out of memory");
        first.write_bytes(0xee, 64);
        std::alloc::dealloc(first, layout);
        let second = std::alloc::alloc(layout);
        assert!(!second.is_null(), "out of memory");
        let byte = second.add(63).read_volatile();
        std::alloc::dealloc(second, layout);
        (std::ptr::eq(first, second), byte)
    }
}
// ANCHOR_END: stale

/// Runs the bug named by the first argument; returns what to print on a wrong one.
///
/// No example: it reads the process's own arguments and runs a deliberate bug; the binaries
/// `on-system` and `on-jemalloc` call it in child processes.
pub fn run_from_args() -> Result<(), String> {
    match std::env::args().nth(1).as_deref() {
        Some("overflow") => overflow_by_one(),
        Some("leak") => leak(),
        Some("read-before-write") => {
            let (same, byte) = read_before_write();
            println!("the new block is the freed one: {same}");
            println!("its last byte before any write: {byte:#04x}");
        }
        other => {
            return Err(format!(
                "expected `overflow`, `leak` or `read-before-write`, got {other:?}"
            ));
        }
    }
    println!("done");
    Ok(())
}
