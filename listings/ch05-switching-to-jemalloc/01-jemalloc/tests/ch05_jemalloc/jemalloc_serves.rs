//! The binary measured from outside: jemalloc serves a small, a medium and a large allocation, and
//! glibc's counters do not move. glibc's counters exist on Linux with glibc only.
// Linux with glibc only: reads glibc's counters (`mallinfo2`) to show that they do not move.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use ch03_probe::run::{assert_jemalloc_served, readings_for};

/// The sizes of chapter 4: 100 B, 64 KiB and 1 MiB.
const SIZES: [usize; 3] = [100, 64 << 10, 1 << 20];

#[test]
fn jemalloc_serves_every_size_and_glibc_sees_none() {
    for r in readings_for(env!("CARGO_BIN_EXE_ch05-jemalloc"), &SIZES) {
        assert_jemalloc_served(&r);
    }
}
