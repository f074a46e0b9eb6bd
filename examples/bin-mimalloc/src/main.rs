//! A binary whose global allocator is mimalloc on every target, Windows with MSVC included.

// ANCHOR: global
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
// ANCHOR_END: global

fn main() {
    let words: Vec<String> = ["every", "allocation", "goes", "to", "mimalloc"]
        .iter()
        .map(|word| word.to_string())
        .collect();
    println!("{}", words.join(" "));
}

// Unit tests are compiled into this binary's test harness, with its `#[global_allocator]`, so they
// run on the allocator the binary runs on. A test in `tests/` would not: it is another program.
#[cfg(test)]
mod tests {
    use std::hint::black_box;

    /// A batch of small blocks, not one: glibc's per-thread cache can hide a few freed chunks of a
    /// size from its statistics (chapter 3), never a whole batch.
    const BATCH: usize = 64;
    const BLOCK: usize = 100;

    /// Bytes glibc holds for the program (heap chunks plus mapped blocks), where glibc is. Other C
    /// libraries and Windows have no such reading, so the glibc side is checked on glibc only.
    fn glibc_in_use() -> Option<i64> {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            // SAFETY: mallinfo2 takes no arguments and only reads glibc's statistics.
            let info = unsafe { libc::mallinfo2() };
            Some((info.uordblks + info.hblkhd) as i64)
        }
        #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
        None
    }

    /// Whether `ptr` lies in memory that mimalloc reserved for its heaps.
    fn mimalloc_owns(ptr: *const u8) -> bool {
        // SAFETY: mi_is_in_heap_region only compares the address with mimalloc's own regions; it
        // never dereferences it.
        unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
    }

    // ANCHOR: test
    #[test]
    fn mimalloc_serves_this_binary_and_glibc_does_not() {
        let glibc_before = glibc_in_use();
        let blocks: Vec<Vec<u8>> = (0..BATCH)
            .map(|_| black_box(Vec::with_capacity(BLOCK)))
            .collect();
        let glibc_grew = glibc_in_use()
            .zip(glibc_before)
            .map(|(after, before)| after - before);
        let owned = blocks.iter().filter(|b| mimalloc_owns(b.as_ptr())).count();
        drop(blocks);
        assert_eq!(
            owned, BATCH,
            "mimalloc owns {owned} of the {BATCH} blocks; expected every one"
        );
        if let Some(grew) = glibc_grew {
            assert!(
                grew < BLOCK as i64,
                "glibc grew by {grew} B while {BATCH} blocks of {BLOCK} B were live; \
                 expected less than one block"
            );
        }
    }
    // ANCHOR_END: test
}
