//! The same binary, with the default written out: a `#[global_allocator]` static of type `System`.

// ANCHOR: global
use std::alloc::System;

#[global_allocator]
static A: System = System;
// ANCHOR_END: global

fn main() {
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    ch03_probe::Probe::new().report(&sizes);
}
