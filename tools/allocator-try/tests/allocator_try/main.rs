//! The runner: its refusals, preloaded runs and the committed results.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod committed_results;
mod preloaded;
mod refusals;
