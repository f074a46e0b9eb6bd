//! A global allocator that refuses to go past a byte budget.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Wraps the allocator `A` and keeps the bytes in live allocations at or under `budget`: a
/// request that would go past it gets a null pointer, which is how a `GlobalAlloc` says "no".
/// What the program then does is up to the caller: `Vec::try_reserve` returns an error, an
/// infallible allocation (`Vec::with_capacity`, `Box::new`) calls `handle_alloc_error`.
///
/// ```
/// use std::alloc::{GlobalAlloc, Layout, System};
/// use ch15_writing_a_global_alloc::Limited;
///
/// let limited = Limited::new(System, 1024);
/// let big = Layout::from_size_align(2048, 8).expect("a valid layout");
/// // SAFETY: non-zero size; a null block is never freed.
/// let refused = unsafe { limited.alloc(big) };
/// assert!(refused.is_null(), "2 KiB does not fit a budget of 1 KiB");
/// ```
// ANCHOR: limited
pub struct Limited<A> {
    inner: A,
    budget: usize,
    live: AtomicUsize,
}

impl<A> Limited<A> {
    /// Wraps `inner` with a budget of `budget` bytes; `const` so that it can initialise
    /// a `static`.
    ///
    /// ```
    /// use ch15_writing_a_global_alloc::Limited;
    ///
    /// let limited = Limited::new(std::alloc::System, 4096);
    /// assert_eq!((limited.budget(), limited.live()), (4096, 0));
    /// ```
    pub const fn new(inner: A, budget: usize) -> Self {
        Limited {
            inner,
            budget,
            live: AtomicUsize::new(0),
        }
    }

    /// Takes `bytes` out of the budget, or returns false (and takes nothing) if they do
    /// not fit.
    fn reserve(&self, bytes: usize) -> bool {
        self.live
            .fetch_update(Relaxed, Relaxed, |live| {
                live.checked_add(bytes)
                    .filter(|&after| after <= self.budget)
            })
            .is_ok()
    }

    fn release(&self, bytes: usize) {
        self.live.fetch_sub(bytes, Relaxed);
    }

    /// Calls `alloc` only if `bytes` fit in the budget; gives them back if it fails.
    fn within_budget(&self, bytes: usize, alloc: impl FnOnce() -> *mut u8) -> *mut u8 {
        if !self.reserve(bytes) {
            return std::ptr::null_mut();
        }
        let block = alloc();
        if block.is_null() {
            self.release(bytes);
        }
        block
    }
}
// ANCHOR_END: limited

impl<A> Limited<A> {
    /// Bytes in live allocations.
    ///
    /// ```
    /// use std::alloc::{GlobalAlloc, Layout, System};
    ///
    /// let limited = ch15_writing_a_global_alloc::Limited::new(System, 1024);
    /// let layout = Layout::from_size_align(600, 8).expect("a valid layout");
    /// // SAFETY: non-zero size; the one block that came back is freed with its layout.
    /// unsafe {
    ///     let first = limited.alloc(layout);
    ///     assert!(limited.alloc(layout).is_null(), "1200 B would pass the budget");
    ///     assert_eq!(limited.live(), 600);
    ///     limited.dealloc(first, layout);
    /// }
    /// assert_eq!(limited.live(), 0);
    /// ```
    pub fn live(&self) -> usize {
        self.live.load(Relaxed)
    }

    /// The most bytes that may be live at once.
    ///
    /// ```
    /// let limited = ch15_writing_a_global_alloc::Limited::new(std::alloc::System, 1 << 20);
    /// assert_eq!(limited.budget(), 1 << 20);
    /// ```
    pub fn budget(&self) -> usize {
        self.budget
    }
}

// ANCHOR: global_alloc
// SAFETY: a block is only ever obtained from, resized by and returned to `inner`, with
// the caller's arguments unchanged; refusing with null is allowed by `GlobalAlloc`'s
// contract.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Limited<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, which `inner` gets unchanged.
        self.within_budget(layout.size(), || unsafe { self.inner.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        self.within_budget(layout.size(), || unsafe { self.inner.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller guarantees `ptr` came from this allocator with `layout`.
        unsafe { self.inner.dealloc(ptr, layout) };
        self.release(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old_size = layout.size();
        // Growing takes the difference out of the budget first; on failure the old
        // block stays.
        if new_size > old_size && !self.reserve(new_size - old_size) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller upholds `realloc`'s contract, passed on to `inner`.
        let block = unsafe { self.inner.realloc(ptr, layout, new_size) };
        match (block.is_null(), new_size > old_size) {
            (true, true) => self.release(new_size - old_size),
            (false, false) => self.release(old_size - new_size),
            _ => {}
        }
        block
    }
}
// ANCHOR_END: global_alloc

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::System;

    fn layout(size: usize) -> Layout {
        Layout::from_size_align(size, 8).expect("valid layout")
    }

    #[test]
    fn the_budget_is_kept_through_alloc_realloc_and_dealloc() {
        let limited = Limited::new(System, 1000);
        // SAFETY: non-zero sizes; every block that is not null is freed with its last layout.
        unsafe {
            let a = limited.alloc(layout(600));
            assert!(
                !a.is_null(),
                "expected 600 B within a 1000 B budget, saw a null pointer"
            );
            assert_eq!(limited.live(), 600);
            assert!(limited.alloc(layout(401)).is_null(), "600 + 401 > 1000");
            assert_eq!(limited.live(), 600, "a refusal takes nothing");
            let b = limited.alloc_zeroed(layout(400));
            assert!(!b.is_null(), "600 + 400 fits exactly");
            assert!(
                limited.realloc(a, layout(600), 601).is_null(),
                "expected a realloc to 601 B over the budget (1000 B live) to be refused, saw a block"
            );
            assert_eq!(
                limited.live(),
                1000,
                "a refused realloc keeps the old block"
            );
            let a = limited.realloc(a, layout(600), 100);
            assert!(
                !a.is_null(),
                "expected shrinking to 100 B to succeed, saw a null pointer"
            );
            assert_eq!(limited.live(), 500, "shrinking gives back the difference");
            limited.dealloc(a, layout(100));
            limited.dealloc(b, layout(400));
        }
        assert_eq!(limited.live(), 0);
        assert_eq!(limited.budget(), 1000);
    }
}
