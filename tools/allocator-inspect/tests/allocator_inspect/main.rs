//! The inspector on bad input, on the book's artifacts and on artifacts nobody here wrote.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod bad_input;
mod book_artifacts;
mod optimised;
mod toolchain;
