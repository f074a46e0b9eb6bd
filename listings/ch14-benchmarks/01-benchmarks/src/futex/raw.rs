//! The futex mode's raw results: one line per counted process, and their CSV files
//! under `results/futex/`.

use std::fmt::Write as _;
use std::path::Path;

use super::count::Count;
use crate::Allocator;
use crate::csv::{rows, write};
use crate::environment;
use crate::stats::median;

/// One counted process.
#[derive(Debug, Clone, PartialEq)]
pub struct FutexSample {
    pub run: usize,
    pub round: usize,
    pub job: String,
    pub allocator: Allocator,
    pub count: Count,
}

/// The raw results of the two runs.
#[derive(Debug, Clone)]
pub struct FutexResults {
    pub environment: environment::Record,
    pub samples: Vec<FutexSample>,
}

/// The raw files, in `results/futex/`.
pub const RAW_FILES: [&str; 2] = ["environment.csv", "samples.csv"];

impl FutexResults {
    pub fn write_raw(&self, dir: &Path) -> Result<(), String> {
        let environment = crate::csv::environment_csv(&self.environment);
        let mut samples =
            String::from("run,round,job,allocator,ops,futex_calls,futex_errors\n");
        for s in &self.samples {
            let _ = writeln!(
                samples,
                "{},{},{},{},{},{},{}",
                s.run,
                s.round,
                s.job,
                s.allocator.name(),
                s.count.ops,
                s.count.calls,
                s.count.errors
            );
        }
        for (file, text) in RAW_FILES.iter().zip([environment, samples]) {
            write(&dir.join(file), &text)?;
        }
        Ok(())
    }

    pub fn read_raw(dir: &Path) -> Result<FutexResults, String> {
        let environment = crate::csv::read_environment(dir)?;
        let bad = |r: &Vec<String>| format!("samples.csv: cannot read the row {r:?}");
        let samples = rows(dir, "samples.csv")?
            .into_iter()
            .map(|r| {
                if r.len() != 7 {
                    return Err(bad(&r));
                }
                Ok(FutexSample {
                    run: r[0].parse().map_err(|_| bad(&r))?,
                    round: r[1].parse().map_err(|_| bad(&r))?,
                    job: r[2].clone(),
                    allocator: Allocator::from_name(&r[3]).ok_or_else(|| bad(&r))?,
                    count: Count {
                        ops: r[4].parse().map_err(|_| bad(&r))?,
                        calls: r[5].parse().map_err(|_| bad(&r))?,
                        errors: r[6].parse().map_err(|_| bad(&r))?,
                    },
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(FutexResults {
            environment,
            samples,
        })
    }

    /// Median `futex` calls per 1,000 blocks of one run, job and allocator (warm-up
    /// dropped), or `None` without samples.
    pub fn per_1000(&self, run: usize, job: &str, allocator: Allocator) -> Option<f64> {
        let kept: Vec<f64> = self
            .samples
            .iter()
            .filter(|s| {
                s.run == run && s.round >= 1 && s.job == job && s.allocator == allocator
            })
            .map(|s| s.count.per_1000())
            .collect();
        (!kept.is_empty()).then(|| median(&kept))
    }
}
