//! Chapter 16's platforms: System on glibc and musl, jemalloc on musl.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod musl;
mod musl_jemalloc;
mod system_on_glibc;
