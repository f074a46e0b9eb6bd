//! Chapter 14: System versus jemalloc (and mimalloc, for reference) on the same
//! workloads.
//!
//! - [`workloads`]: what is timed, each a named function.
//! - [`worker`]: the main function of the three worker binaries, one per global
//!   allocator.
//! - [`evidence`]: which allocator served a worker's allocations, from the allocators'
//!   own counters.
//! - [`suite`]: the runner: two runs of interleaved rounds of fresh worker processes,
//!   then the reports; [`workers`]: starting a worker and reading its lines.
//! - [`stats`]: medians, ratios, bootstrap confidence intervals, band checks.
//! - [`bands`]: the ratios we expect, each with its origin: a published figure or our
//!   expectation.
//! - [`results`] (the raw samples), [`summary`] (ratios and findings), [`tables`],
//!   [`plots`]: what a run measured and what the chapter shows of it; [`report`]
//!   derives and writes them all.
//! - [`gap`]: chapter 14's producer/consumer gap, timed; [`futex`]: the same gap
//!   counted in `futex` calls; [`memory`]: chapter 19's memory over time.
//! - [`environment`], [`csv`], [`markdown`], [`line`], [`counters`], [`progress`]: the
//!   record of where a run happened, the file formats, the worker's output lines,
//!   getrusage, the bar.

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
compile_error!(
    "the chapter 14 benchmarks read glibc's counters and /proc: they build on Linux with glibc only"
);

pub mod bands;
pub mod counters;
pub mod csv;
pub mod environment;
pub mod evidence;
pub mod futex;
pub mod gap;
pub mod line;
pub mod markdown;
pub mod memory;
pub mod plots;
pub mod progress;
pub mod report;
pub mod results;
pub mod rng;
pub mod stats;
pub mod suite;
pub mod summary;
pub mod tables;
pub mod worker;
pub mod workers;
pub mod workloads;

/// The allocators compared. Each has its own worker binary whose `#[global_allocator]`
/// it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Allocator {
    /// `std::alloc::System`: glibc's `malloc` here.
    System,
    /// `tikv_jemallocator::Jemalloc`, prefixed, without `stats`.
    Jemalloc,
    /// `mimalloc::MiMalloc`, prefixed, for reference.
    Mimalloc,
}

impl Allocator {
    /// Every allocator, in report order.
    pub const ALL: [Allocator; 3] =
        [Allocator::System, Allocator::Jemalloc, Allocator::Mimalloc];

    /// The name used in files and command lines.
    pub fn name(self) -> &'static str {
        match self {
            Allocator::System => "system",
            Allocator::Jemalloc => "jemalloc",
            Allocator::Mimalloc => "mimalloc",
        }
    }

    /// Parses [`Allocator::name`].
    pub fn from_name(name: &str) -> Option<Allocator> {
        Allocator::ALL.into_iter().find(|a| a.name() == name)
    }
}
