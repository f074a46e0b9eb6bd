//! The book's own checks and the separate workspaces it drives.
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.
//! `tests/book_integrity/` (a suite of its own, with its own modules) stays a separate binary.

mod benchmarks_smoke;
mod book_build;
mod book_links;
mod ch08_unprefixed;
mod ch14_futex;
mod ch16_system_jemalloc;
mod ch17_heap_profiling;
mod choosing_in_2026;
mod jemalloc_config;
mod out_of_scope;
mod platform_gates;
mod rust_dylib_workspace;
mod second_command;
mod skeptic;
mod templates_standalone;
mod versions;
