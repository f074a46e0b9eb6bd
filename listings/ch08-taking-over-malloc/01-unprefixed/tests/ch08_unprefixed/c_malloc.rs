//! C's allocation functions, called from Rust in a binary whose jemalloc is unprefixed: jemalloc
//! serves them, and glibc's counters do not move.
// Linux with glibc only: jemalloc replaces glibc's `malloc` there, and the test reads glibc's
// counters (`mallinfo2`).
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use ch03_probe::Reading;
use ch03_probe::run::{assert_jemalloc_served, readings_of};

const C_HEAP: &str = env!("CARGO_BIN_EXE_ch08-c-heap");

fn readings(function: &str) -> Vec<Reading> {
    let readings = readings_of(C_HEAP, &[function, "100", "65536", "1048576"]);
    assert_eq!(readings.len(), 3, "{function}: one reading per size");
    readings
}

#[test]
fn c_malloc_is_served_by_jemalloc() {
    for r in readings("malloc") {
        assert_jemalloc_served(&r);
    }
}

#[test]
fn strdup_inside_glibc_is_served_by_jemalloc() {
    // glibc's strdup calls malloc through the dynamic linker, which finds the executable's malloc.
    for r in readings("strdup") {
        assert_jemalloc_served(&r);
    }
}
