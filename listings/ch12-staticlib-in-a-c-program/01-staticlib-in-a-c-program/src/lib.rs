//! A `staticlib` for C programs: its Rust code allocates through jemalloc, which is bundled inside
//! the archive. It exports the probe's C interface so the program can see who serves what.
//!
//! No example: Cargo runs no doctests for a crate that is only a `staticlib`; the C program
//! in `tests/c_program.rs` links it.

// ANCHOR: global
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
// ANCHOR_END: global

// Named here so that it is linked into the archive: its functions are this library's C API.
use probe_c_api as _;
