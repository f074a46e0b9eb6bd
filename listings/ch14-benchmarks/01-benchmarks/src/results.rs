//! The raw results of a run, as the runner measured them, and their CSV files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::Allocator;
use crate::csv::{allocator, parse, rows, write};
use crate::environment::Record;

/// One timed sample: a fresh process of one allocator's worker, in one round.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub round: usize,
    pub workload: String,
    pub allocator: Allocator,
    pub ns_per_op: f64,
}

/// One resident-memory reading of the RSS workload.
#[derive(Debug, Clone, PartialEq)]
pub struct RssRow {
    pub allocator: Allocator,
    pub phase: String,
    pub after_ms: u64,
    pub bytes: u64,
}

/// Everything a run measured.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub environment: Record,
    pub samples: Vec<Sample>,
    pub rss: Vec<RssRow>,
    /// Stripped size in bytes of each allocator's minimal program.
    pub sizes: Vec<(Allocator, u64)>,
}

/// The raw files, under the results directory.
pub const RAW_FILES: [&str; 4] =
    ["environment.csv", "samples.csv", "rss.csv", "sizes.csv"];

/// A full command makes this many independent runs, each of every round, with its own
/// order of jobs; the chapter states only what they agree on.
pub const RUNS: usize = 2;

/// Where run `run` (counted from 1) keeps its raw files under the results directory.
pub fn run_dir(dir: &Path, run: usize) -> PathBuf {
    dir.join(format!("run-{run}"))
}

/// Every run's raw results under `dir`, run 1 first.
pub fn read_runs(dir: &Path) -> Result<Vec<Results>, String> {
    (1..=RUNS)
        .map(|run| Results::read_raw(&run_dir(dir, run)))
        .collect()
}

/// The first round warms caches and the page cache; the analysis drops it.
pub const WARM_UP_ROUNDS: usize = 1;

impl Results {
    /// Writes the raw files into `dir`.
    pub fn write_raw(&self, dir: &Path) -> Result<(), String> {
        let environment = crate::csv::environment_csv(&self.environment);
        let mut samples = String::from("round,workload,allocator,ns_per_op\n");
        for s in &self.samples {
            let _ = writeln!(
                samples,
                "{},{},{},{:.3}",
                s.round,
                s.workload,
                s.allocator.name(),
                s.ns_per_op
            );
        }
        let mut rss = String::from("allocator,phase,after_ms,bytes\n");
        for r in &self.rss {
            let _ = writeln!(
                rss,
                "{},{},{},{}",
                r.allocator.name(),
                r.phase,
                r.after_ms,
                r.bytes
            );
        }
        let mut sizes = String::from("allocator,stripped_bytes\n");
        for (a, bytes) in &self.sizes {
            let _ = writeln!(sizes, "{},{bytes}", a.name());
        }
        for (file, text) in RAW_FILES.iter().zip([environment, samples, rss, sizes]) {
            write(&dir.join(file), &text)?;
        }
        Ok(())
    }

    /// Reads the raw files back from `dir`.
    pub fn read_raw(dir: &Path) -> Result<Results, String> {
        let environment = crate::csv::read_environment(dir)?;
        let samples = rows(dir, "samples.csv")?
            .iter()
            .map(|row| {
                Ok(Sample {
                    round: parse(&row[0], "samples.csv")?,
                    workload: row[1].clone(),
                    allocator: allocator(&row[2], "samples.csv")?,
                    ns_per_op: parse(&row[3], "samples.csv")?,
                })
            })
            .collect::<Result<_, String>>()?;
        let rss = rows(dir, "rss.csv")?
            .iter()
            .map(|row| {
                Ok(RssRow {
                    allocator: allocator(&row[0], "rss.csv")?,
                    phase: row[1].clone(),
                    after_ms: parse(&row[2], "rss.csv")?,
                    bytes: parse(&row[3], "rss.csv")?,
                })
            })
            .collect::<Result<_, String>>()?;
        let sizes = rows(dir, "sizes.csv")?
            .iter()
            .map(|row| {
                Ok((
                    allocator(&row[0], "sizes.csv")?,
                    parse(&row[1], "sizes.csv")?,
                ))
            })
            .collect::<Result<_, String>>()?;
        Ok(Results {
            environment,
            samples,
            rss,
            sizes,
        })
    }

    /// The value of an environment key, or "".
    pub fn env(&self, key: &str) -> &str {
        self.environment
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The samples of `workload` on `allocator` in the rounds kept, in round order.
    pub fn kept(&self, workload: &str, allocator: Allocator) -> Vec<f64> {
        let mut samples: Vec<&Sample> = self
            .samples
            .iter()
            .filter(|s| {
                s.workload == workload
                    && s.allocator == allocator
                    && s.round >= WARM_UP_ROUNDS
            })
            .collect();
        samples.sort_by_key(|s| s.round);
        samples.iter().map(|s| s.ns_per_op).collect()
    }
}
