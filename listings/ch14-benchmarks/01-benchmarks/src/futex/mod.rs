//! Chapter 14's producer/consumer gap, counted in `futex` calls: a thread that must
//! wait for a lock or a channel another thread holds sleeps in `futex(FUTEX_WAIT)`, and
//! the thread that releases it calls `futex(FUTEX_WAKE)`. An uncontended lock makes no
//! call at all. `strace -f -c` counts every thread's calls; it slows each call down, so
//! the counts, not the times, are the measurement. Two independent runs of interleaved
//! rounds, as for the gap's times.
//!
//! `cargo bench --locked --manifest-path
//! listings/ch14-benchmarks/01-benchmarks/Cargo.toml -- --futex`
//!
//! - [`count`]: one process under strace, and reading its summary.
//! - [`jobs`]: what is counted.
//! - [`measure`]: the runs.
//! - [`raw`]: what they counted, and its files.
//! - [`table`]: the table derived from those files.

pub mod count;
pub mod jobs;
pub mod measure;
pub mod raw;
pub mod table;

pub use count::{Count, count, parse_summary};
pub use jobs::{ALLOCATORS, JOBS, ROUNDS};
pub use measure::{measure, run};
pub use raw::{FutexResults, FutexSample, RAW_FILES};
pub use table::{render, write_rendered};
