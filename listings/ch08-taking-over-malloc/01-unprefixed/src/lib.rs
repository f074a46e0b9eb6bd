//! What the binaries that must not call jemalloc measure: glibc's counters only.
//!
//! The probe reads jemalloc's counters by calling jemalloc's functions, and any such call links
//! jemalloc into the binary by itself. `ch08-names-only` and `ch08-unnamed` test what links
//! jemalloc, so they read glibc's `mallinfo2` directly and call nothing of jemalloc's.

use std::hint::black_box;

/// Blocks per batch, as in the probe.
const BATCH: usize = 64;

/// glibc's bytes in use: heap chunks plus mapped blocks (the probe's `glibc::in_use`).
fn glibc_in_use() -> i64 {
    // SAFETY: mallinfo2 takes no arguments and only reads glibc's allocator statistics.
    let info = unsafe { libc::mallinfo2() };
    (info.uordblks + info.hblkhd) as i64
}

/// For each size given as an argument (default 1 MiB), allocates a batch of 64 live blocks through
/// Rust's global allocator and prints `size=<bytes> glibc=<change of glibc's bytes in use>`.
/// The blocks are never freed, so that an allocator's statistics printed at exit still count them.
///
/// No example: it reads the process's own arguments and keeps its blocks to the end, on purpose;
/// the binaries `ch08-names-only` and `ch08-unnamed` call it, and tests/allocator_book/ch08_unprefixed.rs runs them.
pub fn report_glibc_only() {
    let mut sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|arg| {
            arg.parse().unwrap_or_else(|_| {
                eprintln!("`{arg}` is not a size in bytes; give whole numbers, e.g. 1048576");
                std::process::exit(2)
            })
        })
        .collect();
    if sizes.is_empty() {
        sizes.push(1 << 20);
    }
    for size in sizes {
        let mut blocks: Vec<Vec<u8>> = Vec::with_capacity(BATCH);
        let before = glibc_in_use();
        for _ in 0..BATCH {
            blocks.push(Vec::with_capacity(size));
        }
        let grew = glibc_in_use() - before;
        println!("size={size} glibc={grew}");
        std::mem::forget(black_box(blocks));
    }
}
