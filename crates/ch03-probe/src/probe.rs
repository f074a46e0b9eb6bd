//! Taking the readings around a batch of allocations.

use std::hint::black_box;

use crate::counting::AllocationCount;
use crate::reading::Reading;

/// Blocks per measured batch. glibc's per-thread cache holds up to 7 freed chunks per size and
/// counts them as in use, so a lone small allocation can be served without moving glibc's
/// counters; in a batch of 64 live blocks, at least 57 show.
///
/// ```
/// use ch03_probe::{Probe, probe::BATCH};
///
/// let reading = Probe::new().measure(100);
/// assert_eq!(reading.count, BATCH as u64, "one reading covers a whole batch");
/// assert_eq!(reading.requested(), 100 * BATCH as u64);
/// ```
pub const BATCH: usize = 64;

/// Measures who serves the global allocator's allocations on the calling thread.
///
/// ```
/// use ch03_probe::{Probe, Verdict};
///
/// // This example declares no #[global_allocator], so std's System serves it.
/// let reading = Probe::new().measure(1 << 20);
/// // Linux with glibc only: elsewhere the system allocator has no glibc reading.
/// if cfg!(all(target_os = "linux", target_env = "gnu")) {
///     assert_eq!(reading.verdict(), Verdict::System, "{reading}");
/// }
/// ```
#[derive(Clone, Copy, Default)]
pub struct Probe<'a> {
    counter: Option<&'a dyn AllocationCount>,
}

// ANCHOR: measure
impl Probe<'_> {
    /// Allocates [`BATCH`] live blocks of `size` bytes through the global allocator
    /// (as `Vec` buffers) and returns the readings taken just before and just after.
    ///
    /// ```
    /// let reading = ch03_probe::Probe::new().measure(4096);
    /// assert_eq!((reading.size, reading.count), (4096, 64), "{reading}");
    /// ```
    pub fn measure(&self, size: usize) -> Reading {
        let mut blocks: Vec<Vec<u8>> = Vec::with_capacity(BATCH);
        let before = self.snapshot();
        for _ in 0..BATCH {
            blocks.push(Vec::with_capacity(size));
        }
        let after = self.snapshot();
        let first = black_box(&blocks)[0].as_ptr();
        after.reading_since(&before, size, BATCH, first)
    }
}
// ANCHOR_END: measure

impl<'a> Probe<'a> {
    /// A probe with the allocators' own readings only.
    ///
    /// ```
    /// let reading = ch03_probe::Probe::new().measure(64);
    /// assert_eq!(reading.counted, None, "a probe without a counter counts nothing");
    /// ```
    pub const fn new() -> Self {
        Probe { counter: None }
    }

    /// Also reports what the program's [`Counting`](crate::Counting) global allocator counted.
    ///
    /// ```rust,standalone_crate
    /// use std::alloc::System;
    /// use ch03_probe::{Counting, Probe};
    ///
    /// #[global_allocator]
    /// static GLOBAL: Counting<System> = Counting::new(System);
    ///
    /// fn main() {
    ///     let reading = Probe::with_counter(&GLOBAL).measure(100);
    ///     assert_eq!(reading.counted, Some(64 * 100), "64 blocks of 100 B: {reading}");
    /// }
    /// ```
    pub const fn with_counter(counter: &'a dyn AllocationCount) -> Self {
        Probe {
            counter: Some(counter),
        }
    }

    /// Like [`measure`](Self::measure), for blocks that do not come from Rust's global allocator:
    /// `allocate` returns a live block of the size it is given (from C's `malloc`, `strdup`, ...)
    /// and `free` gives each block back after the second reading. Panics if `allocate` returns null.
    ///
    /// ```
    /// use std::alloc::{GlobalAlloc, Layout, System};
    /// use ch03_probe::{Probe, Verdict};
    ///
    /// let layout = Layout::from_size_align(256, 8).expect("a valid layout");
    /// let reading = Probe::new().measure_with(
    ///     256,
    ///     // SAFETY: the layout has a non-zero size; each block is freed with it below.
    ///     |_| unsafe { System.alloc(layout) },
    ///     // SAFETY: each block came from System.alloc with this layout, freed once.
    ///     |block| unsafe { System.dealloc(block, layout) },
    /// );
    /// // Linux with glibc only: there System's blocks move glibc's counters.
    /// if cfg!(all(target_os = "linux", target_env = "gnu")) {
    ///     assert_eq!(reading.verdict(), Verdict::System, "{reading}");
    /// }
    /// ```
    pub fn measure_with(
        &self,
        size: usize,
        mut allocate: impl FnMut(usize) -> *mut u8,
        free: impl FnMut(*mut u8),
    ) -> Reading {
        let mut blocks: Vec<*mut u8> = Vec::with_capacity(BATCH);
        let before = self.snapshot();
        for _ in 0..BATCH {
            blocks.push(allocate(size));
        }
        let after = self.snapshot();
        assert!(
            blocks.iter().all(|block| !block.is_null()),
            "the allocation function returned null for {size} B"
        );
        let reading = after.reading_since(&before, size, BATCH, blocks[0]);
        blocks.into_iter().for_each(free);
        reading
    }

    /// Takes every reading now. Take one before and one after a batch that other code allocates
    /// (C code calling `malloc` in a host program), then turn them into a [`Reading`] with
    /// [`Snapshot::reading_since`]. Taking a snapshot allocates nothing.
    ///
    /// ```
    /// use ch03_probe::{Probe, Verdict};
    ///
    /// let probe = Probe::new();
    /// let before = probe.snapshot();
    /// let block: Vec<u8> = Vec::with_capacity(1 << 20);
    /// let after = probe.snapshot();
    /// let reading = after.reading_since(&before, 1 << 20, 1, block.as_ptr());
    /// // Linux with glibc only: glibc maps a block of 1 MiB, and counts it.
    /// if cfg!(all(target_os = "linux", target_env = "gnu")) {
    ///     assert_eq!(reading.verdict(), Verdict::System, "{reading}");
    /// }
    /// ```
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::take(self.counter)
    }

    /// Measures each size and prints its reading (two lines) on stdout.
    ///
    /// ```
    /// // Prints one line per size on stdout, as the probe binaries do.
    /// ch03_probe::Probe::new().report(&[100]);
    /// ```
    pub fn report(&self, sizes: &[usize]) {
        for &size in sizes {
            println!("{}", self.measure(size));
        }
    }
}

/// Every counter at one moment, from [`Probe::snapshot`]. Taking it allocates nothing through the
/// global allocator.
///
/// ```
/// let probe = ch03_probe::Probe::new();
/// let (first, second) = (probe.snapshot(), probe.snapshot());
/// let nothing = second.reading_since(&first, 8, 0, &0u8);
/// assert_eq!(nothing.counted, None, "no counter was given: {nothing}");
/// assert_eq!(nothing.requested(), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    counted: Option<u64>,
    glibc: Option<u64>,
    jemalloc_thread: Option<u64>,
    jemalloc_stats: Option<u64>,
}

impl Snapshot {
    fn take(counter: Option<&dyn AllocationCount>) -> Self {
        Snapshot {
            counted: counter.map(AllocationCount::bytes_allocated),
            glibc: crate::glibc::in_use(),
            jemalloc_thread: jemalloc_thread(),
            jemalloc_stats: jemalloc_stats(),
        }
    }

    /// The reading for a batch of `count` live blocks of `size` bytes allocated between `before`
    /// and this snapshot, on the thread that took both; `first` is one block of the batch, whose
    /// owner `arenas.lookup` is asked about.
    ///
    /// ```
    /// let probe = ch03_probe::Probe::new();
    /// let before = probe.snapshot();
    /// let blocks: Vec<Box<[u8; 512]>> = (0..8).map(|_| Box::new([0; 512])).collect();
    /// let reading = probe.snapshot().reading_since(&before, 512, 8, blocks[0].as_ptr());
    /// assert_eq!(reading.requested(), 8 * 512);
    /// ```
    pub fn reading_since(
        &self,
        before: &Snapshot,
        size: usize,
        count: usize,
        first: *const u8,
    ) -> Reading {
        Reading {
            size: size as u64,
            count: count as u64,
            counted: self.counted.zip(before.counted).map(|(a, b)| a - b),
            glibc: self
                .glibc
                .zip(before.glibc)
                .map(|(a, b)| a as i64 - b as i64),
            jemalloc_thread: self
                .jemalloc_thread
                .zip(before.jemalloc_thread)
                .map(|(a, b)| a - b),
            jemalloc_stats: self
                .jemalloc_stats
                .zip(before.jemalloc_stats)
                .map(|(a, b)| a as i64 - b as i64),
            jemalloc_owns: jemalloc_owns(first),
        }
    }
}

#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
fn jemalloc_thread() -> Option<u64> {
    crate::jemalloc::ThreadAllocated::for_this_thread()
        .ok()
        .map(|counter| counter.get())
}

#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
fn jemalloc_stats() -> Option<u64> {
    crate::jemalloc::global_allocated().ok()
}

#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
fn jemalloc_owns(ptr: *const u8) -> Option<bool> {
    Some(crate::jemalloc::owns(ptr))
}

#[cfg(not(all(feature = "jemalloc", not(target_env = "msvc"))))]
fn jemalloc_thread() -> Option<u64> {
    None
}

#[cfg(not(all(feature = "jemalloc", not(target_env = "msvc"))))]
fn jemalloc_stats() -> Option<u64> {
    None
}

#[cfg(not(all(feature = "jemalloc", not(target_env = "msvc"))))]
fn jemalloc_owns(_: *const u8) -> Option<bool> {
    None
}

/// The sizes a probe binary measures: its arguments as byte counts, or 100 B and 1 MiB.
/// Exits with a message when an argument is not a positive number of bytes.
///
/// ```
/// use ch03_probe::probe::sizes_from_args;
///
/// let given = ["100", "4096"].map(String::from);
/// assert_eq!(sizes_from_args(given.into_iter()), [100, 4096]);
/// assert_eq!(sizes_from_args(std::iter::empty()), [100, 1 << 20]);
/// ```
pub fn sizes_from_args(args: impl Iterator<Item = String>) -> Vec<usize> {
    let sizes: Vec<usize> = args
        .map(|arg| match arg.parse::<usize>() {
            Ok(size) if size > 0 => size,
            _ => {
                eprintln!(
                    "`{arg}` is not a size in bytes; give positive whole numbers, e.g. 100 1048576"
                );
                std::process::exit(2);
            }
        })
        .collect();
    if sizes.is_empty() {
        vec![100, 1 << 20]
    } else {
        sizes
    }
}
