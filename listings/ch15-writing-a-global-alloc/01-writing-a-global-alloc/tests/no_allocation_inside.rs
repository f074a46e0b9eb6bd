// Its own test binary, not a module of tests/ch15_writing_a_global_alloc/: it declares its own
// `#[global_allocator]`, which would serve every test of a shared binary.
//! Neither wrapper allocates through the global allocator while it allocates: this test process's
//! global allocator notes every allocation made while a flag is up, and the wrappers run as plain
//! values with the flag up. One test in this file, because the global allocator is process-wide.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use ch15_writing_a_global_alloc::{Counts, Limited, ThreadCounting};

thread_local! {
    static WATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Allocations the global allocator served while this thread was watching.
static SEEN: AtomicU64 = AtomicU64::new(0);

struct Watching;

// SAFETY: forwards to System unchanged; the flag and the counter only observe.
unsafe impl GlobalAlloc for Watching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if WATCHING.with(Cell::get) {
            SEEN.fetch_add(1, Relaxed);
        }
        // SAFETY: the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: every block came from System with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Watching = Watching;

/// Allocates, grows and frees one block through `allocator`, watched.
fn exercise(allocator: &impl GlobalAlloc) {
    let layout = Layout::from_size_align(100, 8).expect("valid layout");
    WATCHING.with(|w| w.set(true));
    // SAFETY: non-zero sizes; the block is grown, then freed with its final layout.
    unsafe {
        let block = allocator.alloc(layout);
        assert!(!block.is_null(), "expected a block, saw a null pointer");
        let block = allocator.realloc(block, layout, 200);
        assert!(
            !block.is_null(),
            "expected realloc to give a block, saw a null pointer"
        );
        allocator.dealloc(
            block,
            Layout::from_size_align(200, 8).expect("valid layout"),
        );
        let zeroed = allocator.alloc_zeroed(layout);
        assert!(
            !zeroed.is_null(),
            "expected alloc_zeroed to give a block, saw a null pointer"
        );
        allocator.dealloc(zeroed, layout);
    }
    WATCHING.with(|w| w.set(false));
}

#[test]
fn the_wrappers_allocate_nothing_through_the_global_allocator() {
    // A fresh thread, so that the counter's thread-local is first touched inside the watch.
    let counted = std::thread::spawn(|| {
        let counting = ThreadCounting::new(System);
        exercise(&counting);
        exercise(&Limited::new(System, 1 << 20));
        counting.this_thread()
    })
    .join()
    .expect("the thread does not panic");
    assert_eq!(
        SEEN.load(Relaxed),
        0,
        "a wrapper allocated through the global allocator"
    );
    // The watch itself works: the wrapper saw its own three allocations.
    assert_eq!(
        counted,
        Counts {
            allocations: 3,
            bytes: 400
        }
    );
}
