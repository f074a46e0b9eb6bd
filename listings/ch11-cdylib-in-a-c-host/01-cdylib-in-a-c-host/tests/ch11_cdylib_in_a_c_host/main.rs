//! Chapter 11's cdylib in C and Rust hosts, each host a child process.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod common;
mod dlopen_host;
mod dlopen_safe;
mod linked_host;
mod rust_host;
