//! Chapter 16.1's page sizes, here and under qemu.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod aarch64;
mod common;
mod recorded_output;
