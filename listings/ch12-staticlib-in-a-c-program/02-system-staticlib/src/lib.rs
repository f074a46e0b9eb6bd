//! The same `staticlib` without a `#[global_allocator]`: its Rust code allocates through the
//! default, `System`, which is glibc's `malloc` here.

// ANCHOR: export
// Named here so that it is linked into the archive: its functions are this library's C
// API.
use probe_c_api as _;
// ANCHOR_END: export
