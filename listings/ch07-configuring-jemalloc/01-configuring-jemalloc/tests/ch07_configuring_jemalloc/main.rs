//! Chapter 7's configurations, each run in a child process.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod background_threads;
mod baked_conf;
mod environment;
mod invalid_conf;
mod recorded_output;
mod served_by_jemalloc;
