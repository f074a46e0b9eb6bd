//! Chapter 9's binaries measured and read.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod dropped_or_linked;
mod symbols;
mod two_allocators;
