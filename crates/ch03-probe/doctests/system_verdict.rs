// A doctest of ch03-probe (the docs of `Verdict`), built as a crate and a process of its
// own: its #[global_allocator] is the only one in the program.
// ANCHOR: program
use std::alloc::System;

use ch03_probe::{Probe, Verdict, run::assert_served_by};

#[global_allocator]
static GLOBAL: System = System;

fn main() {
    let reading = Probe::new().measure(100);
    // Linux with glibc only: elsewhere System has no glibc counters to read.
    if cfg!(all(target_os = "linux", target_env = "gnu")) {
        assert_served_by(&reading, Verdict::System);
    }
}
// ANCHOR_END: program
