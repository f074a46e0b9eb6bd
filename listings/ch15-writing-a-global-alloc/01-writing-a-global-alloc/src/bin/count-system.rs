//! The counting allocator around System: it counts known allocations per thread and in total,
//! then lets the chapter 3 probe say who served them.

use std::alloc::System;

use ch03_probe::Probe;
use ch15_writing_a_global_alloc::{ThreadCounting, report};

// ANCHOR: global
#[global_allocator]
static GLOBAL: ThreadCounting<System> = ThreadCounting::new(System);
// ANCHOR_END: global

fn main() {
    report::known_allocations(&GLOBAL);
    report::worker_allocations(&GLOBAL);
    Probe::with_counter(&GLOBAL).report(&[100, 1 << 20]);
}
