//! A binary that links the jemalloc dylib and measures its own allocations: its own `Box`es go to
//! the allocator the dylib declared.

use std::mem::MaybeUninit;

use ch03_probe::probe::BATCH;
use ch03_probe::{Probe, Reading};

// ANCHOR: uses
fn main() {
    println!("the dylib boxed {}", ch10_jemalloc_dylib::boxed_four());
    let probe = Probe::new();
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    for size in sizes {
        println!("{}", own_boxes(&probe, size));
    }
}
// ANCHOR_END: uses

// ANCHOR: own_boxes
/// Boxes a batch of `size`-byte blocks in this binary's code and reads who served them.
fn own_boxes(probe: &Probe, size: usize) -> Reading {
    let mut boxes: Vec<Box<[MaybeUninit<u8>]>> = Vec::with_capacity(BATCH);
    let before = probe.snapshot();
    for _ in 0..BATCH {
        boxes.push(Box::new_uninit_slice(size));
    }
    let after = probe.snapshot();
    after.reading_since(&before, size, BATCH, boxes[0].as_ptr().cast())
}
// ANCHOR_END: own_boxes
