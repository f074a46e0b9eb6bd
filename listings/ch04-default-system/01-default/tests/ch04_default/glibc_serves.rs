//! Both binaries of this listing measured from outside: glibc serves a small, a medium and a large
//! allocation, and jemalloc serves none. glibc's counters exist on Linux with glibc only.
// Linux with glibc only: reads glibc's counters (`mallinfo2`), to show that glibc serves both
// binaries.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use ch03_probe::run::{assert_glibc_served, readings_for};

/// 100 B, 64 KiB and 1 MiB: a glibc heap chunk, a larger heap chunk, and a block glibc maps on its
/// own (its threshold is 128 KiB).
const SIZES: [usize; 3] = [100, 64 << 10, 1 << 20];

// ANCHOR: default
#[test]
fn without_a_global_allocator_glibc_serves_every_size() {
    for r in readings_for(env!("CARGO_BIN_EXE_ch04-default"), &SIZES) {
        assert_glibc_served(&r);
    }
}
// ANCHOR_END: default

#[test]
fn an_explicit_system_static_gives_the_same_verdict() {
    for r in readings_for(env!("CARGO_BIN_EXE_explicit-system"), &SIZES) {
        assert_glibc_served(&r);
    }
}
