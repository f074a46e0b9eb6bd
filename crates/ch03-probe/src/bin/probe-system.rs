//! The probe in a binary whose global allocator is System: it measures itself and prints one
//! reading per size (default: 100 B and 1 MiB; or the sizes given as arguments).

use std::alloc::System;

use ch03_probe::{Counting, Probe};

// ANCHOR: global
#[global_allocator]
static GLOBAL: Counting<System> = Counting::new(System);
// ANCHOR_END: global

// ANCHOR: report
fn main() {
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    Probe::with_counter(&GLOBAL).report(&sizes);
}
// ANCHOR_END: report
