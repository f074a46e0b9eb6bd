//! Chapter 10's Rust dylib: its builds read, loaded and run, each a child process.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod by_hand;
mod common;
mod own_allocator;
mod primary_dylib;
mod shim_symbols;
mod std_allocations;
