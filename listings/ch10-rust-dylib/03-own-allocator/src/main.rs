//! Links the jemalloc dylib and declares an allocator of its own: a compile error.

// ANCHOR: conflict
use std::alloc::System;

#[global_allocator]
static GLOBAL: System = System;

fn main() {
    println!("{}", ch10_jemalloc_dylib::boxed_four());
}
// ANCHOR_END: conflict
