//! The gap mode's raw results: one line per timed process, and their CSV files under
//! `results/gap/`.

use std::fmt::Write as _;
use std::path::Path;

use crate::csv::{rows, write};
use crate::environment;

/// One timed process.
#[derive(Debug, Clone, PartialEq)]
pub struct GapSample {
    pub run: usize,
    pub round: usize,
    pub job: String,
    pub variant: String,
    pub ns_per_op: f64,
    pub ops: u64,
    pub voluntary: i64,
    pub involuntary: i64,
}

#[derive(Debug, Clone)]
pub struct GapResults {
    pub environment: environment::Record,
    pub samples: Vec<GapSample>,
}

pub const RAW_FILES: [&str; 2] = ["environment.csv", "samples.csv"];

impl GapResults {
    pub fn write_raw(&self, dir: &Path) -> Result<(), String> {
        let environment = crate::csv::environment_csv(&self.environment);
        let mut samples = String::from(
            "run,round,job,variant,ns_per_op,ops,voluntary_switches,involuntary_switches\n",
        );
        for s in &self.samples {
            let _ = writeln!(
                samples,
                "{},{},{},{},{:.3},{},{},{}",
                s.run,
                s.round,
                s.job,
                s.variant,
                s.ns_per_op,
                s.ops,
                s.voluntary,
                s.involuntary
            );
        }
        for (file, text) in RAW_FILES.iter().zip([environment, samples]) {
            write(&dir.join(file), &text)?;
        }
        Ok(())
    }

    pub fn read_raw(dir: &Path) -> Result<GapResults, String> {
        let environment = crate::csv::read_environment(dir)?;
        let bad = |r: &Vec<String>| format!("samples.csv: cannot read the row {r:?}");
        let samples = rows(dir, "samples.csv")?
            .into_iter()
            .map(|r| {
                if r.len() != 8 {
                    return Err(bad(&r));
                }
                Ok(GapSample {
                    run: r[0].parse().map_err(|_| bad(&r))?,
                    round: r[1].parse().map_err(|_| bad(&r))?,
                    job: r[2].clone(),
                    variant: r[3].clone(),
                    ns_per_op: r[4].parse().map_err(|_| bad(&r))?,
                    ops: r[5].parse().map_err(|_| bad(&r))?,
                    voluntary: r[6].parse().map_err(|_| bad(&r))?,
                    involuntary: r[7].parse().map_err(|_| bad(&r))?,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(GapResults {
            environment,
            samples,
        })
    }

    /// The kept samples (warm-up dropped) of one run, job and variant, in round order.
    pub fn kept(&self, run: usize, job: &str, variant: &str) -> Vec<&GapSample> {
        self.samples
            .iter()
            .filter(|s| {
                s.run == run && s.round >= 1 && s.job == job && s.variant == variant
            })
            .collect()
    }
}
