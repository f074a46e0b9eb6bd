//! The probe: readings that tell which allocator served an allocation.
//!
//! Every chapter's tests use it. A binary measures itself with a [`Probe`] and prints one
//! [`Reading`] per allocation size (two lines, the verdict first); a test runs the binary, parses
//! the readings back with [`reading::parse_all`] and asserts on the [`Verdict`].
//!
//! The readings:
//! - [`glibc`]: the system allocator's own counters (`mallinfo2`), on Linux with glibc;
//! - [`jemalloc`]: jemalloc's per-thread counter, pointer ownership and global statistics;
//! - [`counting`]: a wrapper that counts what passes through Rust's global allocator;
//! - [`symbols`]: which allocator symbols an artifact defines, read from the file;
//! - [`tls`]: whether a shared library needs room in the static TLS block (so `dlopen` can fail).

pub mod counting;
pub mod glibc;
// Without the `jemalloc` feature (a tool that only reads files) or on MSVC: no jemalloc readings.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
pub mod jemalloc;
pub mod probe;
pub mod reading;
pub mod run;
pub mod symbols;
pub mod tls;

pub use counting::Counting;
pub use probe::Probe;
pub use reading::{Reading, Verdict};
