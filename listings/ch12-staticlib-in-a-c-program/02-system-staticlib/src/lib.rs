//! The same `staticlib` without a `#[global_allocator]`: its Rust code allocates through the
//! default, `System`, which is glibc's `malloc` here.
//!
//! No example: Cargo runs no doctests for a crate that is only a `staticlib`; chapter 12's
//! `01-staticlib-in-a-c-program/tests/c_program.rs` links it into the same C program.

// ANCHOR: export
// Named here so that it is linked into the archive: its functions are this library's C
// API.
use probe_c_api as _;
// ANCHOR_END: export
