//! Chapter 8's unprefixed jemalloc: its binaries run, read and recorded, each a child process.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod c_malloc;
mod feature_unification;
mod linking;
mod malloc_conf;
mod no_global_allocator;
mod recorded_output;
mod symbols;
mod wrong_size_free;
