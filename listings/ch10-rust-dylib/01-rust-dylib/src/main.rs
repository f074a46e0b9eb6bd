//! A binary that links the jemalloc dylib and measures its own allocations: its own `Box`es go to
//! the allocator the dylib declared.

use std::mem::MaybeUninit;

use ch03_probe::Probe;
use ch03_probe::probe::BATCH;

fn main() {
    // ANCHOR: uses
    println!("the dylib boxed {}", ch10_jemalloc_dylib::boxed_four());
    // ANCHOR_END: uses
    let probe = Probe::new();
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    for size in sizes {
        // ANCHOR: own_boxes
        let mut boxes: Vec<Box<[MaybeUninit<u8>]>> = Vec::with_capacity(BATCH);
        let before = probe.snapshot();
        for _ in 0..BATCH {
            boxes.push(Box::new_uninit_slice(size));
        }
        let after = probe.snapshot();
        println!(
            "{}",
            after.reading_since(&before, size, BATCH, boxes[0].as_ptr().cast())
        );
        // ANCHOR_END: own_boxes
    }
}
