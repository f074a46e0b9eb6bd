//! A global allocator wrapper that counts what passes through Rust's global allocator.
//!
//! Wrap any allocator in a `static` to count how many bytes the program asked for:
//!
//! ```
//! use std::alloc::System;
//! use ch03_probe::Counting;
//!
//! #[global_allocator]
//! static GLOBAL: Counting<System> = Counting::new(System);
//!
//! let before = GLOBAL.bytes_allocated();
//! let block = vec![0u8; 100];
//! assert_eq!(GLOBAL.bytes_allocated() - before, 100);
//! # drop(block);
//! ```
//!
//! The counts say an allocation went through `__rust_alloc`, not which allocator served it: that is
//! what the [`glibc`](crate::glibc) and [`jemalloc`](crate::jemalloc) readings are for. Allocations
//! made by C code with `malloc` never pass through it.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Wraps the allocator `A` and counts allocations and bytes, process-wide.
///
/// The counters are plain atomics: counting never allocates, so it cannot recurse into itself.
// ANCHOR: counting
pub struct Counting<A> {
    inner: A,
    allocations: AtomicU64,
    bytes_allocated: AtomicU64,
    bytes_freed: AtomicU64,
}

impl<A> Counting<A> {
    /// Wraps `inner`; `const` so that it can initialise a `static`.
    pub const fn new(inner: A) -> Self {
        Counting {
            inner,
            allocations: AtomicU64::new(0),
            bytes_allocated: AtomicU64::new(0),
            bytes_freed: AtomicU64::new(0),
        }
    }

    fn record_alloc(&self, size: usize) {
        self.allocations.fetch_add(1, Relaxed);
        self.bytes_allocated.fetch_add(size as u64, Relaxed);
    }

    fn record_free(&self, size: usize) {
        self.bytes_freed.fetch_add(size as u64, Relaxed);
    }
}

// SAFETY: every method forwards to `inner` with the caller's arguments unchanged, so
// `inner`'s guarantees hold; the counters only observe. A failed allocation (null) is
// not counted.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which we pass on.
        let block = unsafe { self.inner.alloc(layout) };
        if !block.is_null() {
            self.record_alloc(layout.size());
        }
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let block = unsafe { self.inner.alloc_zeroed(layout) };
        if !block.is_null() {
            self.record_alloc(layout.size());
        }
        block
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.record_free(layout.size());
        // SAFETY: the caller guarantees `ptr` came from this allocator with `layout`.
        unsafe { self.inner.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract; we pass it on.
        let block = unsafe { self.inner.realloc(ptr, layout, new_size) };
        if !block.is_null() {
            // A move to a new size counts as freeing the old block and allocating the
            // new one.
            self.record_free(layout.size());
            self.record_alloc(new_size);
        }
        block
    }
}
// ANCHOR_END: counting

impl<A> Counting<A> {
    /// Allocations made so far (a `realloc` counts as one).
    pub fn allocations(&self) -> u64 {
        self.allocations.load(Relaxed)
    }

    /// Bytes requested so far.
    pub fn bytes_allocated(&self) -> u64 {
        self.bytes_allocated.load(Relaxed)
    }

    /// Bytes freed so far.
    pub fn bytes_freed(&self) -> u64 {
        self.bytes_freed.load(Relaxed)
    }

    /// Bytes in live allocations: requested minus freed.
    pub fn bytes_live(&self) -> u64 {
        self.bytes_allocated() - self.bytes_freed()
    }
}

/// Something that counts the bytes passing through the global allocator; the [`Probe`](crate::Probe)
/// reports it next to the allocators' own readings.
pub trait AllocationCount: Sync {
    /// Bytes requested from the global allocator so far.
    fn bytes_allocated(&self) -> u64;
}

impl<A: Sync> AllocationCount for Counting<A> {
    fn bytes_allocated(&self) -> u64 {
        Counting::bytes_allocated(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::System;

    #[test]
    fn counts_alloc_realloc_and_free_exactly() {
        let counting = Counting::new(System);
        let layout = Layout::from_size_align(100, 8).expect("valid layout");
        // SAFETY: non-zero size; the block is grown then freed with matching layouts.
        unsafe {
            let block = counting.alloc(layout);
            assert!(!block.is_null());
            let grown = counting.realloc(block, layout, 300);
            assert!(!grown.is_null());
            counting.dealloc(
                grown,
                Layout::from_size_align(300, 8).expect("valid layout"),
            );
        }
        assert_eq!(counting.allocations(), 2);
        assert_eq!(counting.bytes_allocated(), 400);
        assert_eq!(counting.bytes_freed(), 400);
        assert_eq!(counting.bytes_live(), 0);
    }
}
