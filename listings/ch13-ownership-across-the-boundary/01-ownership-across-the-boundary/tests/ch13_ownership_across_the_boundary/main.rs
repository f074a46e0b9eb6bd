//! Chapter 13's C programs, right and wrong, each a child process.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod common;
mod right_free;
mod wrong_free;
