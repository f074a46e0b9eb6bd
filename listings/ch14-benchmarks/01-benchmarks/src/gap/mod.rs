//! Chapter 14's producer/consumer gap, measured: time per block and context switches of
//! System (with glibc's settings varied one at a time) and jemalloc, on the hand-over
//! workload with three batch sizes and on `thread-local-2t`. Two independent runs
//! (different seeds for the order), each of interleaved rounds in fresh processes; the
//! report says what both runs agree on.
//!
//! `cargo bench --locked --manifest-path
//! listings/ch14-benchmarks/01-benchmarks/Cargo.toml -- --gap`
//!
//! - [`variants`]: the allocators, glibc settings and jobs (the `VARIANTS` the chapter
//!   shows).
//! - [`measure`]: the runs.
//! - [`raw`]: what they measured, and its files.
//! - [`table`]: the table derived from those files.

pub mod measure;
pub mod raw;
pub mod table;
pub mod variants;

pub use measure::{measure, run};
pub use raw::{GapResults, GapSample, RAW_FILES};
pub use table::{Cell, cell, render, verdict, write_rendered};
pub use variants::{JOBS, ROUNDS, VARIANTS, Variant};
