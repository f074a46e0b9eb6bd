//! Chapter 12's staticlib linked into C programs.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod c_program;
mod link_line;
