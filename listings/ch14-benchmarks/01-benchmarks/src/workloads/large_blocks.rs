//! Large blocks, 64 KiB to 8 MiB: allocated and freed without being written, or with
//! every page written first.

use std::alloc::{GlobalAlloc, Layout, handle_alloc_error};
use std::hint::black_box;
use std::time::Instant;

use super::Measured;
use super::pairs::Global;

/// The sizes, doubling from 64 KiB to 8 MiB.
pub const LARGE_SIZES: [usize; 8] = [
    64 << 10,
    128 << 10,
    256 << 10,
    512 << 10,
    1 << 20,
    2 << 20,
    4 << 20,
    8 << 20,
];

/// The page size the kernel maps memory in on x86_64 Linux.
const PAGE: usize = 4096;

// ANCHOR: large_blocks
/// Allocates and frees one block of each size in [`LARGE_SIZES`]. With `touch`, it
/// writes one byte in every page of the block first, so the kernel must back each page
/// with memory.
pub fn cycle_large_blocks<A: GlobalAlloc>(allocator: &A, touch: bool) {
    for size in LARGE_SIZES {
        let layout =
            Layout::from_size_align(size, 8).expect("sizes up to 8 MiB are valid");
        // SAFETY: non-zero size; the writes stay inside the block; it is freed with its
        // layout.
        unsafe {
            let block = allocator.alloc(layout);
            if block.is_null() {
                handle_alloc_error(layout);
            }
            if touch {
                for offset in (0..size).step_by(PAGE) {
                    block.add(offset).write_volatile(1);
                }
            }
            allocator.dealloc(black_box(block), layout);
        }
    }
}
// ANCHOR_END: large_blocks

fn timed(reps: u32, touch: bool) -> Measured {
    let start = Instant::now();
    for _ in 0..reps {
        cycle_large_blocks(&Global, touch);
    }
    Measured {
        elapsed: start.elapsed(),
        ops: (LARGE_SIZES.len() * reps as usize) as u64,
    }
}

/// Workload `large-untouched`.
pub fn untouched(reps: u32) -> Measured {
    timed(reps, false)
}

/// Workload `large-touched`.
pub fn touched(reps: u32) -> Measured {
    timed(reps, true)
}
