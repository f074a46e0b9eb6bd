//! Resident memory after a program frees most of what it allocated: how much each
//! allocator keeps, for how long, and how much it gives back when asked.

use std::hint::black_box;
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::Allocator;
use crate::rng::{Rng, mixed_sizes};

/// One reading of the process's resident memory.
#[derive(Debug, Clone, PartialEq)]
pub struct RssSample {
    /// `peak` (all blocks live), `freed` (90% freed; `after` says how long ago) or
    /// `released` (after asking the allocator to give free memory back).
    pub phase: &'static str,
    /// Time since the blocks were freed.
    pub after: Duration,
    pub bytes: u64,
}

/// The process's resident set size, from `/proc/self/statm` (its second field, in
/// pages).
pub fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm")
        .expect("/proc/self/statm is readable on Linux");
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|field| field.parse().ok())
        .expect("/proc/self/statm's second field is the resident page count");
    // SAFETY: sysconf only reads a system constant.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    pages * page as u64
}

// ANCHOR: rss
/// Allocates about `total` bytes in blocks of 16 B to 4 KiB, writes them all, frees a
/// random 90%, then reads the resident memory at each of `waits` (measured from the
/// free, the process idle in between), and once more after `release` asked the
/// allocator to return free memory.
pub fn rss_after_freeing(
    total: usize,
    waits: &[Duration],
    release: impl FnOnce(),
) -> Vec<RssSample> {
    let sizes = mixed_sizes(42, total / 2056 + 1, 16, 4096);
    let mut blocks: Vec<Option<Box<[u8]>>> = sizes
        .iter()
        .map(|&size| Some(vec![1u8; size].into_boxed_slice()))
        .collect();
    let mut samples = vec![RssSample {
        phase: "peak",
        after: Duration::ZERO,
        bytes: resident_bytes(),
    }];
    let mut order: Vec<usize> = (0..blocks.len()).collect();
    Rng::new(43).shuffle(&mut order);
    for &i in &order[..order.len() * 9 / 10] {
        blocks[i] = None;
    }
    let freed = Instant::now();
    for &wait in waits {
        sleep(wait.saturating_sub(freed.elapsed()));
        samples.push(RssSample {
            phase: "freed",
            after: freed.elapsed(),
            bytes: resident_bytes(),
        });
    }
    release();
    samples.push(RssSample {
        phase: "released",
        after: freed.elapsed(),
        bytes: resident_bytes(),
    });
    black_box(&blocks);
    samples
}
// ANCHOR_END: rss

/// Whether frees alone let an allocator return pages it decays over time (jemalloc
/// without a background thread). Holds `frees` blocks of 64 KiB that are never written
/// (so never resident), writes and frees `dirty` bytes in blocks of 64 KiB, and reads
/// the resident memory at once and after `wait` idle. Then it frees the held blocks,
/// pausing 10 ms after every 100, and reads it again. Nothing is allocated after the
/// dirty bytes are freed: only frees.
pub fn rss_after_frees_only(
    dirty: usize,
    wait: Duration,
    frees: usize,
) -> Vec<RssSample> {
    const BLOCK: usize = 64 << 10;
    // Untouched: `Vec::with_capacity` asks for memory and writes none of it.
    let held: Vec<Vec<u8>> = (0..frees).map(|_| Vec::with_capacity(BLOCK)).collect();
    let written: Vec<Box<[u8]>> = (0..dirty / BLOCK)
        .map(|_| vec![1u8; BLOCK].into_boxed_slice())
        .collect();
    black_box(&written);
    let mut samples = vec![RssSample {
        phase: "peak",
        after: Duration::ZERO,
        bytes: resident_bytes(),
    }];
    drop(written);
    let freed = Instant::now();
    for wait in [Duration::ZERO, wait] {
        sleep(wait);
        samples.push(RssSample {
            phase: "freed",
            after: freed.elapsed(),
            bytes: resident_bytes(),
        });
    }
    // Spread over time, so that the allocator's clock, if frees move it, sees the pages
    // age.
    for (i, block) in held.into_iter().enumerate() {
        drop(black_box(block));
        if i % 100 == 99 {
            sleep(Duration::from_millis(10));
        }
    }
    samples.push(RssSample {
        phase: "after-frees",
        after: freed.elapsed(),
        bytes: resident_bytes(),
    });
    samples
}

// ANCHOR: release
/// Asks `allocator` to return the free memory it holds to the kernel: glibc's
/// `malloc_trim(0)`, jemalloc's `arena.<all>.purge`, mimalloc's `mi_collect(true)`.
pub fn release_free_memory(allocator: Allocator) {
    match allocator {
        // SAFETY: malloc_trim only walks glibc's own free lists.
        Allocator::System => unsafe {
            libc::malloc_trim(0);
        },
        Allocator::Jemalloc => {
            // 4096 is MALLCTL_ARENAS_ALL: every arena. `purge` takes no input and gives
            // no output. SAFETY: a NUL-terminated name and null buffers, as this
            // mallctl requires.
            let status = unsafe {
                tikv_jemalloc_sys::mallctl(
                    c"arena.4096.purge".as_ptr(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    0,
                )
            };
            assert_eq!(status, 0, "jemalloc refused arena.4096.purge");
        }
        // SAFETY: mi_collect only walks mimalloc's own heaps.
        Allocator::Mimalloc => unsafe { libmimalloc_sys::mi_collect(true) },
    }
}
// ANCHOR_END: release
