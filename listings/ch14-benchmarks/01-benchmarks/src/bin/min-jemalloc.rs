//! The minimal program on jemalloc, for start-up time and binary size: one allocation,
//! then exit. It does not link this crate's library, so its size is the allocator's and
//! std's alone.

use std::hint::black_box;

// ANCHOR: minimal
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    black_box(vec![1u8; 64]);
}
// ANCHOR_END: minimal
