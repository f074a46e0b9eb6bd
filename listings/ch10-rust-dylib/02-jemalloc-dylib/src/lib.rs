//! A Rust `dylib` that declares the global allocator, as the old Unstable Book's example did with
//! the `jemallocator` crate. A program that links it allocates through jemalloc, std's own
//! allocations included (on Linux: the loader binds std's calls to this library's allocator
//! shim); chapter 10 measures which allocations, and the exceptions.
//!
//! No example: Cargo runs no doctests for a crate that is only a `dylib`; the programs of
//! this workspace link it, and `tests/allocator_book/rust_dylib_workspace.rs` runs their tests.

// ANCHOR: dylib
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Allocates, like the old example's `foo`.
pub fn boxed_four() -> Box<i32> {
    Box::new(4)
}
// ANCHOR_END: dylib

// ANCHOR: probe
// The probe reads jemalloc's counters through jemalloc's C functions, which live inside
// this dylib and are not exported from it. Re-exporting the probe puts its code in here
// too, where those functions are in reach; the binary then uses the probe through this
// library.
pub use ch03_probe;
// ANCHOR_END: probe
