//! The parts of `GlobalAlloc`'s contract a wrapper must keep, checked on System, jemalloc and the
//! two wrappers around them: `realloc` keeps the contents and the alignment, `alloc_zeroed` gives
//! zeroes even for memory that was just freed dirty.

use std::alloc::{GlobalAlloc, Layout, System};

use ch15_writing_a_global_alloc::{Limited, ThreadCounting};

/// Every allocator the chapter discusses, by name.
fn allocators() -> Vec<(&'static str, Box<dyn GlobalAlloc>)> {
    let mut all: Vec<(&'static str, Box<dyn GlobalAlloc>)> = vec![
        ("System", Box::new(System)),
        (
            "ThreadCounting<System>",
            Box::new(ThreadCounting::new(System)),
        ),
        ("Limited<System>", Box::new(Limited::new(System, 1 << 30))),
    ];
    // Not on MSVC: jemalloc is not built there.
    #[cfg(not(target_env = "msvc"))]
    {
        use tikv_jemallocator::Jemalloc;
        all.push(("Jemalloc", Box::new(Jemalloc)));
        all.push((
            "ThreadCounting<Jemalloc>",
            Box::new(ThreadCounting::new(Jemalloc)),
        ));
        all.push((
            "Limited<Jemalloc>",
            Box::new(Limited::new(Jemalloc, 1 << 30)),
        ));
    }
    all
}

fn is_aligned(ptr: *mut u8, align: usize) -> bool {
    ptr.addr().is_multiple_of(align)
}

#[test]
fn realloc_keeps_the_contents_and_the_alignment() {
    for (name, allocator) in allocators() {
        for align in [8, 4096] {
            let layout = Layout::from_size_align(100, align).expect("valid layout");
            // SAFETY: non-zero sizes; every block is written within its size and freed once
            // with its last layout.
            unsafe {
                let block = allocator.alloc(layout);
                assert!(!block.is_null() && is_aligned(block, align), "{name}");
                for i in 0..100 {
                    block.add(i).write(i as u8);
                }
                let grown = allocator.realloc(block, layout, 100_000);
                assert!(!grown.is_null() && is_aligned(grown, align), "{name} grown");
                assert!(
                    (0..100).all(|i| grown.add(i).read() == i as u8),
                    "{name} grown"
                );
                let grown_layout = Layout::from_size_align(100_000, align).expect("valid");
                let shrunk = allocator.realloc(grown, grown_layout, 50);
                assert!(
                    !shrunk.is_null() && is_aligned(shrunk, align),
                    "{name} shrunk"
                );
                assert!(
                    (0..50).all(|i| shrunk.add(i).read() == i as u8),
                    "{name} shrunk"
                );
                allocator.dealloc(shrunk, Layout::from_size_align(50, align).expect("valid"));
            }
        }
    }
}

#[test]
fn alloc_zeroed_gives_zeroes_even_for_recycled_memory() {
    for (name, allocator) in allocators() {
        for (size, align) in [(64, 8), (4096, 8), (4096, 4096), (1 << 20, 8)] {
            let layout = Layout::from_size_align(size, align).expect("valid layout");
            // SAFETY: non-zero sizes; each block is written within its size and freed once.
            unsafe {
                // Leave dirty memory behind, where the next block of this size likely comes from.
                let dirty = allocator.alloc(layout);
                assert!(!dirty.is_null(), "{name}");
                dirty.write_bytes(0xAB, size);
                allocator.dealloc(dirty, layout);
                let zeroed = allocator.alloc_zeroed(layout);
                assert!(!zeroed.is_null() && is_aligned(zeroed, align), "{name}");
                assert!(
                    (0..size).all(|i| zeroed.add(i).read() == 0),
                    "{name}: alloc_zeroed({size}, {align}) returned a dirty byte"
                );
                allocator.dealloc(zeroed, layout);
            }
        }
    }
}
