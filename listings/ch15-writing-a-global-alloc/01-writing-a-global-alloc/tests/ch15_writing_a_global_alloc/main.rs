//! Chapter 15's wrappers: their contract, and the binaries measured from outside.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.
//! `tests/no_allocation_inside.rs` and `tests/thread_exit.rs` declare their own
//! `#[global_allocator]`, and `tests/over_aligned.rs` reads process-wide counters in the test
//! process itself: each keeps its own binary (the top of each says so).

mod common;
mod contract;
mod count_jemalloc;
mod count_system;
mod limited;
mod unwinding;
