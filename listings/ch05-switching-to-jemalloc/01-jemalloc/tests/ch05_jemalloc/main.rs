//! Chapter 5's binary measured, read and recorded.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod jemalloc_serves;
mod memcheck;
mod recorded_output;
mod symbols;
