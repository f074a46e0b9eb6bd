// A doctest of this crate (the docs of `ThreadCounting`), built as a crate and a process of
// its own: its #[global_allocator] is the only one in the program.
// ANCHOR: program
use std::alloc::System;

use ch03_probe::{Probe, Verdict, run::assert_served_by};
use ch15_writing_a_global_alloc::ThreadCounting;

#[global_allocator]
static GLOBAL: ThreadCounting<System> = ThreadCounting::new(System);

fn main() {
    let before = GLOBAL.this_thread();
    let reading = Probe::with_counter(&GLOBAL).measure(100);
    let counted = GLOBAL.this_thread().since(before);
    assert_eq!(reading.counted, Some(6400), "the wrapper saw 64 blocks of 100 B");
    assert!(counted.allocations >= 64, "all on this thread: {counted}");
    // Linux with glibc only: there the probe reads both allocators' counters.
    if cfg!(all(target_os = "linux", target_env = "gnu")) {
        assert_served_by(&reading, Verdict::System);
    }
}
// ANCHOR_END: program
