//! A binary whose global allocator is jemalloc wherever jemalloc builds, and System on MSVC.

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let words: Vec<String> = ["every", "allocation", "goes", "to", "jemalloc"]
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

    const SIZE: usize = 1 << 20;

    /// Bytes glibc holds for the program (heap chunks plus mapped blocks), where glibc is.
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

    // ANCHOR: test
    // Not on MSVC: jemalloc is not built there, and the binary runs on System.
    #[cfg(not(target_env = "msvc"))]
    #[test]
    fn jemalloc_serves_this_binary_and_glibc_does_not() {
        use tikv_jemalloc_ctl::thread::allocatedp;
        let thread = allocatedp::read().expect("thread.allocatedp");
        let (jemalloc_before, glibc_before) = (thread.get(), glibc_in_use());
        let block = black_box(vec![1u8; SIZE]);
        let jemalloc_grew = thread.get() - jemalloc_before;
        let glibc_grew = glibc_in_use()
            .zip(glibc_before)
            .map(|(after, before)| after - before);
        drop(block);
        assert!(
            jemalloc_grew >= SIZE as u64,
            "jemalloc grew by {jemalloc_grew} B only"
        );
        if let Some(grew) = glibc_grew {
            assert!(grew < SIZE as i64, "glibc grew by {grew} B");
        }
    }
    // ANCHOR_END: test
}
