//! Chapter 18's bugs under memcheck, heaptrack and jemalloc's own checks.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod heaptrack;
mod jemalloc_checks;
mod memcheck;
