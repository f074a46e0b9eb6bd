//! Chapter 4's binaries measured, read and recorded.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod glibc_serves;
mod recorded_output;
mod symbols;
