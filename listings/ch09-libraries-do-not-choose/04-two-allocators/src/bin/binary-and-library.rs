//! The binary declares System; the library it uses already declared jemalloc.

// ANCHOR: conflict
use std::alloc::System;

#[global_allocator]
static GLOBAL: System = System;

fn main() {
    println!("{}", ch09_library_that_chooses::shout("two allocators"));
}
// ANCHOR_END: conflict
