//! Single-thread allocate/free pairs, and the same loop with an allocator that does
//! nothing, which measures what the loop itself costs.

use std::alloc::{GlobalAlloc, Layout, handle_alloc_error};
use std::cell::UnsafeCell;
use std::hint::black_box;
use std::time::Instant;

use super::{Measured, SMALL};
use crate::rng::mixed_sizes;

/// Pairs per repetition.
const PAIRS: usize = 100_000;

/// 1024 layouts of 16 B to 1 KiB (a fixed seed, so every allocator gets the same
/// sequence).
pub fn small_layouts() -> Vec<Layout> {
    mixed_sizes(14, 1024, SMALL.0, SMALL.1)
        .into_iter()
        .map(|size| {
            Layout::from_size_align(size, 8)
                .expect("sizes up to 1 KiB are valid layouts")
        })
        .collect()
}

// ANCHOR: pairs
/// Allocates a block and frees it at once, `pairs` times, cycling through `layouts`.
/// The block's address goes through `black_box`, so the compiler cannot drop the pair:
/// LLVM may otherwise remove an allocation whose result is never used.
pub fn alloc_free_pairs<A: GlobalAlloc>(
    allocator: &A,
    layouts: &[Layout],
    pairs: usize,
) -> Measured {
    let start = Instant::now();
    for &layout in layouts.iter().cycle().take(pairs) {
        // SAFETY: every layout has a non-zero size; the block is freed at once with its
        // layout.
        unsafe {
            let block = allocator.alloc(layout);
            if block.is_null() {
                handle_alloc_error(layout);
            }
            allocator.dealloc(black_box(block), layout);
        }
    }
    Measured {
        elapsed: start.elapsed(),
        ops: pairs as u64,
    }
}
// ANCHOR_END: pairs

/// The program's global allocator, called the way `Box` and `Vec` call it
/// (`__rust_alloc`).
pub struct Global;

// SAFETY: forwards to the global allocator with the caller's arguments unchanged.
unsafe impl GlobalAlloc for Global {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which `alloc`
        // shares.
        unsafe { std::alloc::alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller passes a block from this (the global) allocator with its
        // layout.
        unsafe { std::alloc::dealloc(ptr, layout) }
    }
}

/// An allocator that does no work: it hands out the same 1 KiB buffer every time. It is
/// only good for one live block at a time, which is all [`alloc_free_pairs`] ever
/// holds; timing the pair loop with it measures the loop, the layout lookup and
/// `black_box`, not an allocator.
pub struct NoWork {
    buffer: UnsafeCell<Buffer>,
}

#[repr(C, align(16))]
struct Buffer {
    _bytes: [u8; 1024],
}

// SAFETY: `NoWork` never reads or writes its buffer; it only hands out its address.
unsafe impl Sync for NoWork {}

impl NoWork {
    pub const fn new() -> Self {
        NoWork {
            buffer: UnsafeCell::new(Buffer { _bytes: [0; 1024] }),
        }
    }
}

impl Default for NoWork {
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: the buffer is 1 KiB aligned to 16, so the pointer is valid for any layout it
// accepts; larger or more aligned requests get null (allocation failure). Callers must
// not hold two blocks at once: the one user, `alloc_free_pairs`, frees each block
// before the next allocation.
unsafe impl GlobalAlloc for NoWork {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() <= 1024 && layout.align() <= 16 {
            self.buffer.get().cast()
        } else {
            std::ptr::null_mut()
        }
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}
}

/// Workload `pairs-16B-1KiB`: `reps` x 100,000 pairs through the global allocator.
pub fn global_pairs(reps: u32) -> Measured {
    let layouts = small_layouts();
    alloc_free_pairs(&Global, &layouts, PAIRS * reps as usize)
}

/// Workload `harness-overhead`: the same loop, with [`NoWork`].
pub fn harness_overhead(reps: u32) -> Measured {
    let layouts = small_layouts();
    alloc_free_pairs(&NoWork::new(), &layouts, PAIRS * reps as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_span_16_bytes_to_1_kib() {
        let layouts = small_layouts();
        assert_eq!(layouts.len(), 1024);
        assert!(
            layouts.iter().all(|l| (16..=1024).contains(&l.size())),
            "expected every size within 16..=1024, saw {:?}",
            layouts.iter().find(|l| !(16..=1024).contains(&l.size()))
        );
    }

    #[test]
    fn the_no_work_allocator_refuses_what_its_buffer_cannot_hold() {
        let no_work = NoWork::new();
        // SAFETY: non-zero sizes; nothing is dereferenced.
        unsafe {
            assert!(
                !no_work
                    .alloc(Layout::from_size_align(1024, 16).unwrap())
                    .is_null(),
                "expected 1024 B aligned to 16 to fit the buffer, saw a null pointer"
            );
            assert!(
                no_work
                    .alloc(Layout::from_size_align(1025, 8).unwrap())
                    .is_null(),
                "expected 1025 B to be refused (null), saw a block"
            );
            assert!(
                no_work
                    .alloc(Layout::from_size_align(64, 32).unwrap())
                    .is_null(),
                "expected an alignment of 32 to be refused (null), saw a block"
            );
        }
    }
}
