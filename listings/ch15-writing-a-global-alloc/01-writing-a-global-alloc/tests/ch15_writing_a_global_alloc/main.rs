//! Chapter 15's wrappers: their contract, and the binaries measured from outside.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.
//! `tests/no_allocation_inside.rs`, `tests/over_aligned.rs`, `tests/thread_exit.rs` keep their own binaries (see the top of each).

mod common;
mod contract;
mod count_jemalloc;
mod count_system;
mod limited;
mod unwinding;
