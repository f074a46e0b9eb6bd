//! Chapter 2's listings: the old one refused, the modern one measured.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod modern_binary;
mod old_listing;
mod symbols;
