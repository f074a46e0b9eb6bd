//! The harness run on its fixture workspaces.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod separate_workspace;
mod templates;
