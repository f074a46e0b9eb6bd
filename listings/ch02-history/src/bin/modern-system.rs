//! The old listing written for today's stable Rust: no feature attribute, no `extern crate`, and
//! `System` comes from `std::alloc`. It prints its box, then measures who serves its allocations.

use ch03_probe::Probe;

// ANCHOR: modern
use std::alloc::System;

#[global_allocator]
static GLOBAL: System = System;

fn main() {
    let answer = Box::new(42);
    println!("Box::new(42) holds {answer}");
    // ANCHOR_END: modern
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    Probe::new().report(&sizes);
}
