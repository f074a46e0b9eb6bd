//! A `cdylib` for C programs: its Rust code allocates through jemalloc, and it exports the probe's
//! C interface (`probe-c-api`) so that its host can see who serves what.
//!
//! No example: Cargo runs no doctests for a crate that is only a `cdylib`; the C and Rust
//! hosts in `tests/` link it and load it.

// ANCHOR: global
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
// ANCHOR_END: global

// ANCHOR: export
// Named here so that it is linked: its `#[unsafe(no_mangle)]` functions become this
// library's C API.
use probe_c_api as _;
// ANCHOR_END: export
