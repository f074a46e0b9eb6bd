//! A global allocator that counts allocations per thread and for the whole process.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// A number of allocations and the bytes they asked for.
///
/// ```
/// use ch15_writing_a_global_alloc::Counts;
///
/// let later = Counts { allocations: 5, bytes: 700 };
/// let earlier = Counts { allocations: 2, bytes: 100 };
/// assert_eq!(later.since(earlier), Counts { allocations: 3, bytes: 600 });
/// assert_eq!(later.to_string(), "5 allocations, 700 bytes");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub allocations: u64,
    pub bytes: u64,
}

impl Counts {
    /// Nothing counted yet.
    ///
    /// ```
    /// use ch15_writing_a_global_alloc::Counts;
    ///
    /// assert_eq!(Counts::ZERO, Counts::default());
    /// ```
    pub const ZERO: Counts = Counts {
        allocations: 0,
        bytes: 0,
    };

    /// What was counted between `earlier` and `self`.
    ///
    /// ```
    /// use ch15_writing_a_global_alloc::Counts;
    ///
    /// let now = Counts { allocations: 1, bytes: 16 };
    /// assert_eq!(now.since(Counts::ZERO), now);
    /// ```
    pub fn since(self, earlier: Counts) -> Counts {
        Counts {
            allocations: self.allocations - earlier.allocations,
            bytes: self.bytes - earlier.bytes,
        }
    }

    const fn plus_one(self, bytes: usize) -> Counts {
        Counts {
            allocations: self.allocations + 1,
            bytes: self.bytes + bytes as u64,
        }
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} allocations, {} bytes", self.allocations, self.bytes)
    }
}

// ANCHOR: thread_local
thread_local! {
    // `const`-initialised and `Copy`: no lazy initialisation and no destructor, so
    // touching it never allocates (which would re-enter the allocator) and it stays
    // readable while the thread shuts down and runs other thread-locals' destructors.
    static THIS_THREAD: Cell<Counts> = const { Cell::new(Counts::ZERO) };
}
// ANCHOR_END: thread_local

/// Wraps the allocator `A` and counts every allocation (`alloc`, `alloc_zeroed`, and `realloc`,
/// which counts its new size) on the calling thread and in total. Frees are not counted.
///
/// The per-thread counts are one set per thread for the whole process: declare one
/// `ThreadCounting` as the global allocator.
///
/// ```
/// use std::alloc::{GlobalAlloc, Layout, System};
/// use ch15_writing_a_global_alloc::ThreadCounting;
///
/// let counting = ThreadCounting::new(System);
/// let layout = Layout::from_size_align(100, 8).expect("a valid layout");
/// // SAFETY: non-zero size; freed with the same layout.
/// unsafe { counting.dealloc(counting.alloc(layout), layout) };
/// assert_eq!((counting.total().allocations, counting.total().bytes), (1, 100));
/// ```
///
/// As the global allocator of a program, with chapter 3's probe: a crate and a process of its
/// own (`standalone_crate`), whose `#[global_allocator]` is the only one in its program.
///
#[doc = concat!("```rust,standalone_crate\n", include_str!("../doctests/thread_counting_verdict.rs"), "```")]
// ANCHOR: struct
pub struct ThreadCounting<A> {
    inner: A,
    allocations: AtomicU64,
    bytes: AtomicU64,
}

impl<A> ThreadCounting<A> {
    /// Wraps `inner`; `const` so that it can initialise a `static`.
    ///
    /// ```
    /// use std::alloc::System;
    /// use ch15_writing_a_global_alloc::ThreadCounting;
    ///
    /// static COUNTED: ThreadCounting<System> = ThreadCounting::new(System);
    /// assert_eq!(COUNTED.total().allocations, 0);
    /// ```
    pub const fn new(inner: A) -> Self {
        ThreadCounting {
            inner,
            allocations: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    fn record(&self, bytes: usize) {
        self.allocations.fetch_add(1, Relaxed);
        self.bytes.fetch_add(bytes as u64, Relaxed);
        // `try_with` fails only for a thread-local already destroyed, which a value
        // without a destructor never is; should it ever fail, a lost count beats a
        // panic in an allocator.
        let _ = THIS_THREAD.try_with(|counts| counts.set(counts.get().plus_one(bytes)));
    }

    /// Counts `block` as an allocation of `bytes` if it is not null, and passes it on.
    fn counted(&self, bytes: usize, block: *mut u8) -> *mut u8 {
        if !block.is_null() {
            self.record(bytes);
        }
        block
    }
}
// ANCHOR_END: struct

impl<A> ThreadCounting<A> {
    /// What the calling thread has allocated so far.
    ///
    /// ```
    /// use std::alloc::{GlobalAlloc, Layout, System};
    /// use ch15_writing_a_global_alloc::ThreadCounting;
    ///
    /// let counting = ThreadCounting::new(System);
    /// let layout = Layout::from_size_align(64, 8).expect("a valid layout");
    /// let before = counting.this_thread();
    /// std::thread::scope(|scope| {
    ///     // SAFETY: non-zero size; freed with the same layout, on the same thread.
    ///     scope.spawn(|| unsafe { counting.dealloc(counting.alloc(layout), layout) });
    /// });
    /// assert_eq!(counting.this_thread().since(before).allocations, 0, "another thread's");
    /// assert_eq!(counting.total().allocations, 1);
    /// ```
    pub fn this_thread(&self) -> Counts {
        THIS_THREAD.try_with(Cell::get).unwrap_or_default()
    }

    /// What all threads together have allocated so far.
    ///
    /// ```
    /// use std::alloc::{GlobalAlloc, Layout, System};
    ///
    /// let counting = ch15_writing_a_global_alloc::ThreadCounting::new(System);
    /// let layout = Layout::from_size_align(8, 8).expect("a valid layout");
    /// // SAFETY: non-zero size; the block grows to 32 B and is freed with that layout.
    /// unsafe {
    ///     let grown = counting.realloc(counting.alloc(layout), layout, 32);
    ///     counting.dealloc(grown, Layout::from_size_align(32, 8).expect("valid"));
    /// }
    /// assert_eq!(counting.total().bytes, 8 + 32, "a realloc counts its new size");
    /// ```
    pub fn total(&self) -> Counts {
        Counts {
            allocations: self.allocations.load(Relaxed),
            bytes: self.bytes.load(Relaxed),
        }
    }
}

// ANCHOR: global_alloc
// SAFETY: every method forwards to `inner` with the caller's arguments unchanged, so
// `inner`'s guarantees hold; counting only observes, allocates nothing and cannot
// panic.
unsafe impl<A: GlobalAlloc> GlobalAlloc for ThreadCounting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, which `inner` gets unchanged.
        self.counted(layout.size(), unsafe { self.inner.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`. Forwarding keeps `inner`'s own zeroing (glibc's
        // `calloc` may skip zeroing fresh pages), where the default method would write
        // every byte.
        self.counted(layout.size(), unsafe { self.inner.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller guarantees `ptr` came from this allocator with `layout`.
        unsafe { self.inner.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller upholds `realloc`'s contract, passed on to `inner`.
        self.counted(new_size, unsafe {
            self.inner.realloc(ptr, layout, new_size)
        })
    }
}
// ANCHOR_END: global_alloc

/// Lets the chapter 3 probe report the total next to the allocators' own readings.
impl<A: Sync> ch03_probe::counting::AllocationCount for ThreadCounting<A> {
    fn bytes_allocated(&self) -> u64 {
        self.total().bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::System;

    #[test]
    fn alloc_zeroed_and_realloc_each_count_once_with_their_size() {
        let counting = ThreadCounting::new(System);
        let layout = Layout::from_size_align(100, 8).expect("valid layout");
        let start = (counting.this_thread(), counting.total());
        // SAFETY: non-zero sizes; the block is grown, then freed with its final layout.
        unsafe {
            let block = counting.alloc_zeroed(layout);
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
        let two = Counts {
            allocations: 2,
            bytes: 400,
        };
        assert_eq!(counting.this_thread().since(start.0), two);
        assert_eq!(counting.total().since(start.1), two);
    }

    #[test]
    fn counts_print_as_allocations_and_bytes() {
        let counts = Counts {
            allocations: 2,
            bytes: 400,
        };
        assert_eq!(counts.to_string(), "2 allocations, 400 bytes");
    }
}
