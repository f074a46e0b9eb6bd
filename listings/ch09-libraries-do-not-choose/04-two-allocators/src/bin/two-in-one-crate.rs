//! Two declarations in one crate.

// ANCHOR: two
use std::alloc::System;

#[global_allocator]
static FIRST: System = System;

#[global_allocator]
static SECOND: System = System;

fn main() {}
// ANCHOR_END: two
