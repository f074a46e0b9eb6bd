//! The minimal program on mimalloc, for start-up time and binary size: one allocation,
//! then exit. It does not link this crate's library, so its size is the allocator's and
//! std's alone.

use std::hint::black_box;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    black_box(vec![1u8; 64]);
}
