//! Chapter 19's raw results: the readings of each setting's run and glibc's arena
//! counts, and their CSV files under `results/memory/`.

use std::fmt::Write as _;
use std::path::Path;

use crate::csv::{rows, write};
use crate::environment;

/// One reading of one setting's run.
#[derive(Debug, Clone, PartialEq)]
pub struct MemSample {
    pub setting: String,
    pub t_ms: u64,
    pub cycle: usize,
    pub phase: String,
    pub bytes: u64,
}

/// glibc's arena count after a run with `threads` workers.
#[derive(Debug, Clone, PartialEq)]
pub struct ArenaCount {
    pub threads: usize,
    pub setting: String,
    pub arenas: usize,
}

/// The raw results of one run.
#[derive(Debug, Clone)]
pub struct MemoryResults {
    pub environment: environment::Record,
    pub samples: Vec<MemSample>,
    pub arenas: Vec<ArenaCount>,
}

/// The raw files, in `results/memory/`.
pub const RAW_FILES: [&str; 3] = ["environment.csv", "samples.csv", "arenas.csv"];

impl MemoryResults {
    pub fn write_raw(&self, dir: &Path) -> Result<(), String> {
        let environment = crate::csv::environment_csv(&self.environment);
        let mut samples = String::from("setting,t_ms,cycle,phase,bytes\n");
        for s in &self.samples {
            let _ = writeln!(
                samples,
                "{},{},{},{},{}",
                s.setting, s.t_ms, s.cycle, s.phase, s.bytes
            );
        }
        let mut arenas = String::from("threads,setting,arenas\n");
        for a in &self.arenas {
            let _ = writeln!(arenas, "{},{},{}", a.threads, a.setting, a.arenas);
        }
        for (file, text) in RAW_FILES.iter().zip([environment, samples, arenas]) {
            write(&dir.join(file), &text)?;
        }
        Ok(())
    }

    pub fn read_raw(dir: &Path) -> Result<MemoryResults, String> {
        let parse = |v: &str, file: &str| -> Result<u64, String> {
            v.parse()
                .map_err(|_| format!("{file}: cannot read {v:?} as a number"))
        };
        let environment = crate::csv::read_environment(dir)?;
        let samples = rows(dir, "samples.csv")?
            .into_iter()
            .map(|r| {
                if r.len() != 5 {
                    return Err(format!("samples.csv: expected 5 fields, saw {r:?}"));
                }
                Ok(MemSample {
                    setting: r[0].clone(),
                    t_ms: parse(&r[1], "samples.csv")?,
                    cycle: parse(&r[2], "samples.csv")? as usize,
                    phase: r[3].clone(),
                    bytes: parse(&r[4], "samples.csv")?,
                })
            })
            .collect::<Result<_, String>>()?;
        let arenas = rows(dir, "arenas.csv")?
            .into_iter()
            .map(|r| {
                if r.len() != 3 {
                    return Err(format!("arenas.csv: expected 3 fields, saw {r:?}"));
                }
                Ok(ArenaCount {
                    threads: parse(&r[0], "arenas.csv")? as usize,
                    setting: r[1].clone(),
                    arenas: parse(&r[2], "arenas.csv")? as usize,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(MemoryResults {
            environment,
            samples,
            arenas,
        })
    }

    /// The readings of `setting`, in time order.
    pub fn of(&self, setting: &str) -> Vec<&MemSample> {
        self.samples
            .iter()
            .filter(|s| s.setting == setting)
            .collect()
    }
}
