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
    measure_who_serves();
}
// ANCHOR_END: modern

/// Lets the chapter 3 probe measure batches of 100 B and 1 MiB blocks (or the sizes given as
/// arguments) and print one reading, with its verdict, per size.
fn measure_who_serves() {
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    Probe::new().report(&sizes);
}
