//! A global allocator wrapper that counts what passes through Rust's global allocator.
//!
//! Wrap any allocator in a `static` to count how many bytes the program asked for:
//!
//! ```rust,standalone_crate
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
///
/// ```
/// use std::alloc::{GlobalAlloc, Layout, System};
/// use ch03_probe::Counting;
///
/// let counting = Counting::new(System);
/// let layout = Layout::from_size_align(48, 8).expect("a valid layout");
/// // SAFETY: the layout has a non-zero size; the block is freed below with it.
/// let block = unsafe { counting.alloc(layout) };
/// assert!(!block.is_null(), "System returned null for 48 B");
/// assert_eq!(counting.bytes_live(), 48, "one live block of 48 B");
/// // SAFETY: `block` came from `counting.alloc` with `layout`, freed once.
/// unsafe { counting.dealloc(block, layout) };
/// assert_eq!(counting.bytes_live(), 0, "nothing is live after the free");
/// ```
///
/// As the global allocator, next to the probe's readings: a crate and a process of its own
/// (`standalone_crate`), whose `#[global_allocator]` is the only one in its program.
///
// With jemalloc only: it does not build for MSVC, and a build without the `jemalloc`
// feature has none.
#[cfg_attr(
    all(feature = "jemalloc", not(target_env = "msvc")),
    doc = concat!("```rust,standalone_crate\n", include_str!("../doctests/counting_verdict.rs"), "```")
)]
// ANCHOR: counting
pub struct Counting<A> {
    inner: A,
    allocations: AtomicU64,
    bytes_allocated: AtomicU64,
    bytes_freed: AtomicU64,
}

impl<A> Counting<A> {
    /// Wraps `inner`; `const` so that it can initialise a `static`.
    ///
    /// ```
    /// static UNUSED: ch03_probe::Counting<std::alloc::System> =
    ///     ch03_probe::Counting::new(std::alloc::System);
    /// assert_eq!(UNUSED.allocations(), 0);
    /// ```
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
    ///
    /// ```
    /// use std::alloc::{GlobalAlloc, Layout, System};
    ///
    /// let counting = ch03_probe::Counting::new(System);
    /// let small = Layout::from_size_align(16, 8).expect("a valid layout");
    /// // SAFETY: non-zero sizes; the block is grown, then freed with its new layout.
    /// unsafe {
    ///     let block = counting.alloc(small);
    ///     let grown = counting.realloc(block, small, 64);
    ///     assert!(!grown.is_null(), "System could not grow 16 B to 64 B");
    ///     counting.dealloc(grown, Layout::from_size_align(64, 8).expect("valid"));
    /// }
    /// assert_eq!(counting.allocations(), 2, "an alloc and a realloc");
    /// ```
    pub fn allocations(&self) -> u64 {
        self.allocations.load(Relaxed)
    }

    /// Bytes requested so far.
    ///
    /// ```
    /// use std::alloc::{GlobalAlloc, Layout, System};
    ///
    /// let counting = ch03_probe::Counting::new(System);
    /// let layout = Layout::from_size_align(100, 4).expect("a valid layout");
    /// // SAFETY: non-zero size; freed with the same layout.
    /// unsafe { counting.dealloc(counting.alloc_zeroed(layout), layout) };
    /// assert_eq!(counting.bytes_allocated(), 100);
    /// ```
    pub fn bytes_allocated(&self) -> u64 {
        self.bytes_allocated.load(Relaxed)
    }

    /// Bytes freed so far.
    ///
    /// ```
    /// use std::alloc::{GlobalAlloc, Layout, System};
    ///
    /// let counting = ch03_probe::Counting::new(System);
    /// let layout = Layout::from_size_align(24, 8).expect("a valid layout");
    /// // SAFETY: non-zero size; freed with the same layout.
    /// let block = unsafe { counting.alloc(layout) };
    /// assert_eq!(counting.bytes_freed(), 0);
    /// // SAFETY: `block` came from `counting.alloc` with `layout`.
    /// unsafe { counting.dealloc(block, layout) };
    /// assert_eq!(counting.bytes_freed(), 24);
    /// ```
    pub fn bytes_freed(&self) -> u64 {
        self.bytes_freed.load(Relaxed)
    }

    /// Bytes in live allocations: requested minus freed.
    ///
    /// ```
    /// use std::alloc::{GlobalAlloc, Layout, System};
    ///
    /// let counting = ch03_probe::Counting::new(System);
    /// let layout = Layout::from_size_align(32, 8).expect("a valid layout");
    /// // SAFETY: non-zero size; both blocks are freed below with the same layout.
    /// let (a, b) = unsafe { (counting.alloc(layout), counting.alloc(layout)) };
    /// // SAFETY: `a` came from `counting.alloc` with `layout`.
    /// unsafe { counting.dealloc(a, layout) };
    /// assert_eq!(counting.bytes_live(), 32, "one of two blocks is still live");
    /// // SAFETY: as for `a`.
    /// unsafe { counting.dealloc(b, layout) };
    /// ```
    pub fn bytes_live(&self) -> u64 {
        self.bytes_allocated() - self.bytes_freed()
    }
}

/// Something that counts the bytes passing through the global allocator; the [`Probe`](crate::Probe)
/// reports it next to the allocators' own readings.
///
/// ```
/// use ch03_probe::counting::AllocationCount;
///
/// struct Fixed;
/// impl AllocationCount for Fixed {
///     fn bytes_allocated(&self) -> u64 {
///         42
///     }
/// }
/// let reading = ch03_probe::Probe::with_counter(&Fixed).measure(8);
/// assert_eq!(reading.counted, Some(0), "a counter that never moves counts 0 B");
/// ```
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
            assert!(!block.is_null(), "expected a block, saw a null pointer");
            let grown = counting.realloc(block, layout, 300);
            assert!(
                !grown.is_null(),
                "expected realloc to give a block, saw a null pointer"
            );
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
