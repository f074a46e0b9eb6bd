//! The probe's binaries measured, read and recorded from outside.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.
//! `tests/glibc_thread_cache.rs` and `tests/measure_with.rs` keep their own binaries: they read
//! process-wide counters in the test process itself (the top of each says so).

mod jemalloc_binary;
mod recorded_output;
mod symbols;
mod system_binary;
