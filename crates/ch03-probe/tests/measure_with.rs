// Its own test binary, not a module of tests/ch03_probe/: it reads glibc's and jemalloc's
// process-wide counters in this process, which tests running beside it would move.
//! `Probe::measure_with`, which measures blocks from an allocation function of the caller's choice
//! rather than from Rust's global allocator. One test in this file: it reads process-wide counters.
// Linux with glibc only: reads glibc's counters (`mallinfo2`).
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::alloc::{GlobalAlloc, Layout, System};

use ch03_probe::Probe;
use ch03_probe::run::{assert_glibc_served, assert_jemalloc_served};
use tikv_jemallocator::Jemalloc;

const SIZE: usize = 4096;

fn layout() -> Layout {
    Layout::from_size_align(SIZE, 8).expect("a valid layout")
}

#[test]
fn measure_with_credits_the_allocator_the_function_calls() {
    let probe = Probe::new();
    let system = probe.measure_with(
        SIZE,
        // SAFETY: the layout has a non-zero size; the probe frees each block once, below.
        |_| unsafe { System.alloc(layout()) },
        // SAFETY: each block came from System.alloc with this layout.
        |block| unsafe { System.dealloc(block, layout()) },
    );
    assert_glibc_served(&system);
    let jemalloc = probe.measure_with(
        SIZE,
        // SAFETY: as above, with jemalloc.
        |_| unsafe { Jemalloc.alloc(layout()) },
        // SAFETY: each block came from Jemalloc.alloc with this layout.
        |block| unsafe { Jemalloc.dealloc(block, layout()) },
    );
    assert_jemalloc_served(&jemalloc);
}
