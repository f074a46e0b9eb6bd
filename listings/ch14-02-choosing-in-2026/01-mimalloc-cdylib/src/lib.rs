//! A shared library for C hosts whose Rust allocations go to mimalloc. Its tests load it with
//! `dlopen` (chapter 11 shows jemalloc's default build failing there) and ask it who served.
//!
//! No example: Cargo runs no doctests for a crate that is only a `cdylib`; `tests/dlopen.rs`
//! loads it and calls both functions.

use std::ffi::c_void;

// ANCHOR: global
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
// ANCHOR_END: global

/// Whether `address` lies in memory that the library's mimalloc reserved. It is an address, not
/// a pointer: it is only compared, never read, so any value may be passed.
#[unsafe(no_mangle)]
pub extern "C" fn mimalloc_cdylib_owns(address: usize) -> bool {
    // SAFETY: mi_is_in_heap_region only compares the address with mimalloc's own regions; it
    // never dereferences it.
    unsafe { libmimalloc_sys::mi_is_in_heap_region(address as *const c_void) }
}

/// Allocates `count` blocks of `size` bytes with the library's global allocator, keeps them all
/// live, and returns how many of them lie in mimalloc's heap.
#[unsafe(no_mangle)]
pub extern "C" fn mimalloc_cdylib_owned(count: usize, size: usize) -> usize {
    let blocks: Vec<Vec<u8>> = (0..count)
        .map(|_| std::hint::black_box(Vec::with_capacity(size)))
        .collect();
    blocks
        .iter()
        .filter(|block| mimalloc_cdylib_owns(block.as_ptr() as usize))
        .count()
}
