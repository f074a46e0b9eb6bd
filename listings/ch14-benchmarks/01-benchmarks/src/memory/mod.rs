//! Chapter 19's runner: the service workload ([`crate::workloads::service`]) once per
//! setting, each in a fresh worker process, one after another (so that no run's memory
//! squeezes another's); then glibc's arena count against the thread count. Writes
//! `results/memory/` and the plots.
//!
//! `cargo bench --locked --manifest-path
//! listings/ch14-benchmarks/01-benchmarks/Cargo.toml -- --memory`
//!
//! - [`settings`]: what runs (the `SETTINGS` the chapter shows) and how much.
//! - [`measure`]: the runs themselves.
//! - [`raw`]: what they measured, and its files.
//! - [`render`]: the tables and plots derived from those files.

pub mod measure;
pub mod raw;
pub mod render;
pub mod settings;

pub use measure::{measure, run, run_setting};
pub use raw::{ArenaCount, MemSample, MemoryResults, RAW_FILES};
pub use render::{MemoryRendered, PLOTS, Summary, render, summarise, write_rendered};
pub use settings::{
    ARENA_THREADS, JEMALLOC_CONF, MemoryConfig, SETTINGS, Setting, by_name,
};
