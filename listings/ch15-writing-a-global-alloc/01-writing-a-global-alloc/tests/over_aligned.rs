// Its own test binary, not a module of tests/ch15_writing_a_global_alloc/: it reads glibc's
// process-wide counters in this process, which tests running beside it would move.
//! Over-aligned blocks (4 KiB and 2 MiB alignment) through System and jemalloc: aligned, and
//! served by the allocator asked, as each allocator's own counters show. One test in this file,
//! because it reads process-wide counters.
// Linux with glibc only: each allocator's counters, glibc's `mallinfo2` among them, show who
// served.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::alloc::{GlobalAlloc, Layout, System};

use ch03_probe::{glibc, jemalloc};
use tikv_jemallocator::Jemalloc;

const TWO_MIB: usize = 2 << 20;

/// Allocates a `TWO_MIB`-byte block with `align` through `allocator`; returns whether it was
/// aligned, how much glibc and this thread's jemalloc counter grew, and whether jemalloc owns it.
fn measure(allocator: &dyn GlobalAlloc, align: usize) -> (bool, i64, u64, bool) {
    let layout = Layout::from_size_align(TWO_MIB, align).expect("valid layout");
    let jemalloc_thread = jemalloc::ThreadAllocated::for_this_thread().expect("thread.allocatedp");
    let (glibc_before, jemalloc_before) = (glibc::in_use().expect("glibc"), jemalloc_thread.get());
    // SAFETY: non-zero size; the block is freed below with the same layout.
    let block = unsafe { allocator.alloc(layout) };
    assert!(
        !block.is_null(),
        "allocation of 2 MiB aligned to {align} failed"
    );
    let glibc_grew = glibc::in_use().expect("glibc") as i64 - glibc_before as i64;
    let jemalloc_grew = jemalloc_thread.get() - jemalloc_before;
    let owned = jemalloc::owns(block);
    let aligned = block.addr().is_multiple_of(align);
    // SAFETY: `block` came from `allocator` with `layout` and is freed once.
    unsafe { allocator.dealloc(block, layout) };
    (aligned, glibc_grew, jemalloc_grew, owned)
}

#[test]
fn over_aligned_blocks_are_aligned_and_served_by_the_allocator_asked() {
    for align in [4096, TWO_MIB] {
        let (aligned, glibc_grew, jemalloc_grew, owned) = measure(&System, align);
        assert!(aligned, "System, align {align}");
        assert!(
            glibc_grew >= TWO_MIB as i64,
            "System, align {align}: glibc grew {glibc_grew}"
        );
        assert_eq!((jemalloc_grew, owned), (0, false), "System, align {align}");

        let (aligned, glibc_grew, jemalloc_grew, owned) = measure(&Jemalloc, align);
        assert!(aligned, "Jemalloc, align {align}");
        assert!(
            jemalloc_grew >= TWO_MIB as u64,
            "Jemalloc, align {align}: {jemalloc_grew}"
        );
        assert!(
            owned,
            "Jemalloc, align {align}: arenas.lookup does not know the block"
        );
        assert!(
            glibc_grew < TWO_MIB as i64,
            "Jemalloc, align {align}: glibc grew {glibc_grew}"
        );
    }
}
