//! A binary with no `#[global_allocator]` in this workspace: System serves Rust's allocations by
//! calling `malloc`, and `malloc` is jemalloc's.
// Linux with glibc only: reads glibc's counters (`mallinfo2`) to show that jemalloc's `malloc`
// serves System.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use ch03_probe::run::{assert_jemalloc_served, readings_for};

#[test]
fn rust_allocations_reach_jemalloc_through_system() {
    let exe = env!("CARGO_BIN_EXE_ch08-no-global-allocator");
    for r in readings_for(exe, &[100, 64 << 10, 1 << 20]) {
        assert_jemalloc_served(&r);
    }
}
