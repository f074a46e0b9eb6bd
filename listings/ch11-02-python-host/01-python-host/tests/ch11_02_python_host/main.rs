//! CPython as the host (the README's second command runs these).
//!
//! One test binary for this package's integration tests, one module per file: they run
//! programs in child processes or read files, so they need no process of their own.

mod ctypes_host;
mod pyo3_module;
