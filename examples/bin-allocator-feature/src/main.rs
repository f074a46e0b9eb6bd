//! A binary whose allocator is chosen at build time: jemalloc with `--features jemalloc`, System
//! without it and on MSVC, where jemalloc does not build.

#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The allocator this build declared, from the same condition as the static above.
const CHOSEN: &str = if cfg!(all(feature = "jemalloc", not(target_env = "msvc"))) {
    "jemalloc"
} else {
    "System"
};

fn main() {
    println!("allocator chosen at build time: {CHOSEN}");
}

// Unit tests are compiled into this binary's test harness, with its `#[global_allocator]`, so they
// run on the allocator the binary runs on. A test in `tests/` would not: it is another program.
// Run them both ways: `cargo test` and `cargo test --features jemalloc`.
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

    /// jemalloc's running total of bytes allocated on this thread; 0 on MSVC, where there is none.
    fn jemalloc_thread_allocated() -> u64 {
        #[cfg(not(target_env = "msvc"))]
        {
            tikv_jemalloc_ctl::thread::allocatedp::read()
                .expect("thread.allocatedp")
                .get()
        }
        #[cfg(target_env = "msvc")]
        0
    }

    #[test]
    fn the_allocator_is_the_one_the_feature_chose() {
        let (jemalloc_before, glibc_before) = (jemalloc_thread_allocated(), glibc_in_use());
        let block = black_box(vec![1u8; SIZE]);
        let jemalloc_grew = jemalloc_thread_allocated() - jemalloc_before;
        let glibc_grew = glibc_in_use()
            .zip(glibc_before)
            .map(|(after, before)| after - before);
        drop(block);
        if super::CHOSEN == "jemalloc" {
            assert!(
                jemalloc_grew >= SIZE as u64,
                "jemalloc grew by {jemalloc_grew} B only"
            );
            if let Some(grew) = glibc_grew {
                assert!(grew < SIZE as i64, "glibc grew by {grew} B");
            }
        } else {
            assert_eq!(jemalloc_grew, 0, "jemalloc served the block");
            if let Some(grew) = glibc_grew {
                assert!(grew >= SIZE as i64, "glibc grew by {grew} B only");
            }
        }
    }
}
