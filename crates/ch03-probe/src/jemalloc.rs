//! jemalloc's own readings, through its `mallctl` interface (`tikv-jemalloc-ctl`).
//!
//! These work whether or not jemalloc is the global allocator: linking the probe links a prefixed
//! jemalloc (`_rjem_malloc`), and asking it questions does not make it serve anything. In a binary
//! whose global allocator is System, its counters simply stay where they are.

use std::ffi::{c_uint, c_void};

pub use tikv_jemalloc_ctl::Error;

/// jemalloc's running total of bytes allocated by the calling thread (`thread.allocatedp`).
///
/// It only grows: it counts every allocation jemalloc served on this thread, in jemalloc's size
/// classes (a 100 B request counts as 112 B).
///
/// ```
/// use std::alloc::{GlobalAlloc, Layout};
/// use ch03_probe::jemalloc::ThreadAllocated;
/// use tikv_jemallocator::Jemalloc;
///
/// let counter = ThreadAllocated::for_this_thread().expect("thread.allocatedp");
/// let start = counter.get();
/// let layout = Layout::from_size_align(100, 8).expect("a valid layout");
/// // SAFETY: non-zero size; freed with the same layout by the allocator that made it.
/// unsafe { Jemalloc.dealloc(Jemalloc.alloc(layout), layout) };
/// assert_eq!(counter.get() - start, 112, "100 B is jemalloc's 112 B size class");
/// ```
pub struct ThreadAllocated(tikv_jemalloc_ctl::thread::ThreadLocal<u64>);

impl ThreadAllocated {
    /// Looks up the calling thread's counter. The result reads this thread's counter only.
    ///
    /// ```
    /// let counter = ch03_probe::jemalloc::ThreadAllocated::for_this_thread()
    ///     .expect("jemalloc answers thread.allocatedp");
    /// let start = counter.get();
    /// let on_system = vec![0u8; 4096];
    /// assert_eq!(counter.get(), start, "System's block did not move jemalloc's counter");
    /// # drop(on_system);
    /// ```
    pub fn for_this_thread() -> Result<Self, Error> {
        tikv_jemalloc_ctl::thread::allocatedp::read().map(ThreadAllocated)
    }

    /// Bytes jemalloc has allocated on this thread so far.
    ///
    /// ```
    /// use std::alloc::{GlobalAlloc, Layout};
    /// use tikv_jemallocator::Jemalloc;
    ///
    /// let counter = ch03_probe::jemalloc::ThreadAllocated::for_this_thread().expect("counter");
    /// let before = counter.get();
    /// let layout = Layout::from_size_align(4096, 8).expect("a valid layout");
    /// // SAFETY: non-zero size; freed with the same layout by jemalloc.
    /// unsafe { Jemalloc.dealloc(Jemalloc.alloc(layout), layout) };
    /// assert!(counter.get() - before >= 4096, "jemalloc counted its 4 KiB");
    /// ```
    pub fn get(&self) -> u64 {
        self.0.get()
    }
}

/// Whether jemalloc owns the block at `ptr`, asked through the `arenas.lookup` mallctl.
///
/// jemalloc answers with the arena that holds the block, or fails (`EINVAL`) for an address it never
/// handed out, such as a block from glibc's malloc or a stack address; asking about such an address
/// is safe.
///
/// ```
/// use std::alloc::{GlobalAlloc, Layout, System};
/// use ch03_probe::jemalloc::owns;
/// use tikv_jemallocator::Jemalloc;
///
/// let layout = Layout::from_size_align(64, 8).expect("a valid layout");
/// // SAFETY: non-zero size; each block goes back to the allocator that made it.
/// unsafe {
///     let (mine, glibcs) = (Jemalloc.alloc(layout), System.alloc(layout));
///     assert!(owns(mine), "jemalloc owns its own block");
///     assert!(!owns(glibcs), "jemalloc does not own System's block");
///     Jemalloc.dealloc(mine, layout);
///     System.dealloc(glibcs, layout);
/// }
/// ```
// ANCHOR: owns
pub fn owns(ptr: *const u8) -> bool {
    let mut arena: c_uint = 0;
    let mut arena_len = size_of::<c_uint>();
    let mut query = ptr.cast_mut().cast::<c_void>();
    // SAFETY: `arenas.lookup` reads a pointer-sized value from `newp` and writes a
    // `c_uint` to `oldp`; both buffers are live locals of exactly those sizes. jemalloc
    // only compares the pointer with the addresses it manages, and never reads it.
    let status = unsafe {
        tikv_jemalloc_sys::mallctl(
            c"arenas.lookup".as_ptr(),
            (&raw mut arena).cast(),
            &mut arena_len,
            (&raw mut query).cast(),
            size_of::<*mut c_void>(),
        )
    };
    status == 0
}
// ANCHOR_END: owns

/// jemalloc's process-wide count of bytes in live allocations (`stats.allocated`), refreshed by
/// advancing its statistics epoch first. Needs the `stats` feature (the root workspace enables it).
///
/// Blocks parked in jemalloc's per-thread caches count as allocated, so the number can move by more
/// than the bytes a program asked for.
///
/// ```
/// use std::alloc::{GlobalAlloc, Layout};
/// use tikv_jemallocator::Jemalloc;
///
/// let layout = Layout::from_size_align(8 << 20, 8).expect("a valid layout");
/// let before = ch03_probe::jemalloc::global_allocated().expect("stats.allocated");
/// // SAFETY: non-zero size; freed below with the same layout.
/// let block = unsafe { Jemalloc.alloc(layout) };
/// let after = ch03_probe::jemalloc::global_allocated().expect("stats.allocated");
/// assert!(after >= before + (8 << 20), "8 MiB live: {before} B, then {after} B");
/// // SAFETY: `block` came from Jemalloc.alloc with `layout`.
/// unsafe { Jemalloc.dealloc(block, layout) };
/// ```
// ANCHOR: global_allocated
pub fn global_allocated() -> Result<u64, Error> {
    tikv_jemalloc_ctl::epoch::advance()?;
    tikv_jemalloc_ctl::stats::allocated::read().map(|bytes| bytes as u64)
}
// ANCHOR_END: global_allocated

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout, System};

    use tikv_jemallocator::Jemalloc;

    /// `arenas.lookup` on a pointer jemalloc does not own is safe from jemalloc 5.3.1 on (its
    /// ChangeLog); 5.3.0 can crash. The probe asks about glibc's blocks, so it needs 5.3.1 or newer.
    #[test]
    fn the_linked_jemalloc_is_the_one_whose_lookup_is_safe() {
        let version = tikv_jemalloc_ctl::version::read().expect("jemalloc reports its version");
        let release: Vec<u32> = version
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .split('.')
            .map(|part| part.parse().unwrap_or(0))
            .collect();
        assert!(
            release.as_slice() >= [5, 3, 1].as_slice(),
            "expected jemalloc 5.3.1 or newer, whose `arenas.lookup` is safe on foreign pointers; \
             the probe links {version}"
        );
    }

    #[test]
    fn jemalloc_owns_its_blocks_and_not_glibcs() {
        let layout = Layout::from_size_align(100, 8).expect("valid layout");
        // SAFETY: non-zero size; each block is freed below by the allocator that made it.
        let (from_jemalloc, from_system) =
            unsafe { (Jemalloc.alloc(layout), System.alloc(layout)) };
        assert!(
            !from_jemalloc.is_null() && !from_system.is_null(),
            "expected a block from each allocator, saw {from_jemalloc:?} and {from_system:?}"
        );
        let on_stack = 0u8;
        assert!(
            super::owns(from_jemalloc),
            "expected arenas.lookup to know jemalloc's block {from_jemalloc:?}, it did not"
        );
        assert!(
            !super::owns(from_system),
            "expected arenas.lookup not to know glibc's block {from_system:?}, it did"
        );
        assert!(
            !super::owns(&on_stack),
            "expected arenas.lookup not to know a stack address, it did"
        );
        // SAFETY: each block goes back to the allocator that made it, with the same layout.
        unsafe {
            Jemalloc.dealloc(from_jemalloc, layout);
            System.dealloc(from_system, layout);
        }
    }

    #[test]
    fn the_thread_counter_counts_jemalloc_allocations_only() {
        let counter = super::ThreadAllocated::for_this_thread().expect("thread.allocatedp");
        let layout = Layout::from_size_align(4096, 8).expect("valid layout");
        let start = counter.get();
        // SAFETY: non-zero size; the block is checked and freed with the same layout by System.
        unsafe {
            let block = System.alloc(layout);
            assert!(!block.is_null(), "expected a block, saw a null pointer");
            System.dealloc(block, layout);
        }
        assert_eq!(
            counter.get(),
            start,
            "a System allocation moved jemalloc's counter"
        );
        // SAFETY: as above, with jemalloc.
        unsafe {
            let block = Jemalloc.alloc(layout);
            assert!(!block.is_null(), "expected a block, saw a null pointer");
            Jemalloc.dealloc(block, layout);
        }
        assert!(
            counter.get() - start >= 4096,
            "expected jemalloc's thread counter to grow by at least 4096 B, it grew by {} B",
            counter.get() - start
        );
    }
}
