//! Chapter 14's producer/consumer gap, counted in `futex` calls: a thread that must wait for a
//! lock or a channel another thread holds sleeps in `futex(FUTEX_WAIT)`, and the thread that
//! releases it calls `futex(FUTEX_WAKE)`. An uncontended lock makes no call at all. `strace -f -c`
//! counts every thread's calls; it slows each call down, so the counts, not the times, are the
//! measurement. Two independent runs of interleaved rounds, as for the gap's times.
//!
//! `cargo bench --locked --manifest-path listings/ch14-benchmarks/01-benchmarks/Cargo.toml -- --futex`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::Allocator;
use crate::csv::{quote, rows, write};
use crate::environment;
use crate::markdown::md_code;
use crate::progress::Progress;
use crate::rng::Rng;
use crate::stats::median;
use crate::workers::{Binaries, reading, run_worker_with};

/// The jobs counted, with their worker arguments: the hand-over in batches of 64
/// (`producer-consumer-2t`) and `thread-local-2t`, 2,000,000 blocks each.
pub const JOBS: [(&str, &[&str]); 2] = [
    ("producer-consumer-2t", &["handover", "64", "20"]),
    ("thread-local-2t", &["run", "thread-local-2t", "20"]),
];

/// The allocators compared.
pub const ALLOCATORS: [Allocator; 2] = [Allocator::System, Allocator::Jemalloc];

/// Rounds per run, the first dropped as a warm-up.
pub const ROUNDS: usize = 6;

/// What `strace -c` counted for one worker process.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Count {
    /// Blocks the job handed over or allocated.
    pub ops: u64,
    /// `futex` calls of every thread, and how many of them returned an error (`EAGAIN`: the
    /// value had changed before the thread could sleep).
    pub calls: u64,
    pub errors: u64,
}

impl Count {
    /// Calls per 1,000 blocks.
    pub fn per_1000(&self) -> f64 {
        self.calls as f64 * 1000.0 / self.ops.max(1) as f64
    }
}

/// The `futex` line of an `strace -c` summary: `calls` and `errors` (0 when the column is empty);
/// no line means no call.
pub fn parse_summary(summary: &str) -> Result<(u64, u64), String> {
    let Some(line) = summary
        .lines()
        .find(|l| l.split_whitespace().last() == Some("futex"))
    else {
        return Ok((0, 0));
    };
    let numbers: Vec<&str> = line.split_whitespace().collect();
    // % time, seconds, usecs/call, calls, [errors], syscall
    let number = |i: usize| -> Result<u64, String> {
        numbers[i].parse().map_err(|err| {
            format!(
                "cannot read {:?} in the strace line {line:?}: {err}",
                numbers[i]
            )
        })
    };
    match numbers.len() {
        5 => Ok((number(3)?, 0)),
        6 => Ok((number(3)?, number(4)?)),
        _ => Err(format!("unexpected strace summary line {line:?}")),
    }
}

/// Runs `worker` with `args` under `strace` (the program at `strace`), counting `futex` calls of
/// every thread; the summary goes to `summary_file`.
pub fn count(
    strace: &Path,
    worker: &Path,
    args: &[&str],
    allocator: Allocator,
    summary_file: &Path,
) -> Result<Count, String> {
    let summary = summary_file.to_string_lossy().into_owned();
    let worker_path = worker.to_string_lossy().into_owned();
    let mut full: Vec<&str> = vec![
        "-f",
        "-c",
        "-e",
        "trace=futex",
        "-o",
        &summary,
        &worker_path,
    ];
    full.extend_from_slice(args);
    let stdout = run_worker_with(strace, &full, &[], allocator)?;
    let text = std::fs::read_to_string(summary_file)
        .map_err(|err| format!("cannot read strace's summary {summary}: {err}"))?;
    let (calls, errors) = parse_summary(&text)?;
    Ok(Count {
        ops: reading(&stdout, "result", "ops")? as u64,
        calls,
        errors,
    })
}

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

/// Two runs of `rounds` rounds, each round every job on every allocator in a shuffled order.
pub fn measure(strace: &Path, bins: &Binaries, rounds: usize) -> Result<FutexResults, String> {
    let mut environment = environment::record();
    environment.push((
        "load_average_before".to_owned(),
        environment::load_average(),
    ));
    let scratch = std::env::temp_dir().join(format!("ch14-futex-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)
        .map_err(|err| format!("cannot create {}: {err}", scratch.display()))?;
    let mut progress = Progress::new(2 * rounds * JOBS.len() * ALLOCATORS.len());
    let mut samples = Vec::new();
    for run in 1..=2 {
        let mut rng = Rng::new(1450 + run as u64);
        for round in 0..rounds {
            let mut order: Vec<(usize, usize)> = (0..JOBS.len())
                .flat_map(|j| (0..ALLOCATORS.len()).map(move |a| (j, a)))
                .collect();
            rng.shuffle(&mut order);
            for (j, a) in order {
                let ((job, args), allocator) = (JOBS[j], ALLOCATORS[a]);
                progress.step(&format!(
                    "run {run} round {} {job} {}",
                    round + 1,
                    allocator.name()
                ));
                let file = scratch.join("summary.txt");
                let count = count(strace, &bins.workers[&allocator], args, allocator, &file)?;
                samples.push(FutexSample {
                    run,
                    round,
                    job: job.to_owned(),
                    allocator,
                    count,
                });
            }
        }
    }
    progress.finish();
    let _ = std::fs::remove_dir_all(&scratch);
    environment.push(("load_average_after".to_owned(), environment::load_average()));
    environment.push(("rounds_per_run".to_owned(), rounds.to_string()));
    environment.push(("warm_up_rounds_dropped".to_owned(), "1".to_owned()));
    Ok(FutexResults {
        environment,
        samples,
    })
}

impl FutexResults {
    pub fn write_raw(&self, dir: &Path) -> Result<(), String> {
        let mut environment = String::from("key,value\n");
        for (key, value) in &self.environment {
            let _ = writeln!(environment, "{key},{}", quote(value));
        }
        let mut samples = String::from("run,round,job,allocator,ops,futex_calls,futex_errors\n");
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
        let environment = rows(dir, "environment.csv")?
            .into_iter()
            .map(|r| (r[0].clone(), r.get(1).cloned().unwrap_or_default()))
            .collect();
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

    /// Median `futex` calls per 1,000 blocks of one run, job and allocator (warm-up dropped), or
    /// `None` without samples.
    pub fn per_1000(&self, run: usize, job: &str, allocator: Allocator) -> Option<f64> {
        let kept: Vec<f64> = self
            .samples
            .iter()
            .filter(|s| s.run == run && s.round >= 1 && s.job == job && s.allocator == allocator)
            .map(|s| s.count.per_1000())
            .collect();
        (!kept.is_empty()).then(|| median(&kept))
    }
}

/// The table (`futex.md`) and the environment list, from the raw results alone.
pub fn render(results: &FutexResults) -> Result<Vec<(&'static str, String)>, String> {
    let mut table = String::from(
        "| workload | allocator | futex calls per 1,000 blocks, run 1 / run 2 |\n|---|---|--:|\n",
    );
    for (job, _) in JOBS {
        for allocator in ALLOCATORS {
            let value = |run| {
                results.per_1000(run, job, allocator).ok_or_else(|| {
                    format!("no samples for {job} on {} in run {run}", allocator.name())
                })
            };
            let _ = writeln!(
                table,
                "| {} | {} | {:.2} / {:.2} |",
                md_code(job),
                md_code(allocator.name()),
                value(1)?,
                value(2)?
            );
        }
    }
    let mut env = String::new();
    for (key, value) in &results.environment {
        let _ = writeln!(env, "- {}: {}", md_code(key), md_code(value));
    }
    Ok(vec![("futex.md", table), ("environment.md", env)])
}

/// Measures, writes the raw files and the tables into `dir`.
pub fn run(
    dir: &Path,
    strace: &Path,
    bins: &Binaries,
    rounds: usize,
) -> Result<Vec<PathBuf>, String> {
    let results = measure(strace, bins, rounds)?;
    results.write_raw(dir)?;
    let mut written: Vec<PathBuf> = RAW_FILES.iter().map(|f| dir.join(f)).collect();
    written.extend(write_rendered(dir, &render(&results)?)?);
    Ok(written)
}

/// Writes what [`render`] derived into `dir`.
pub fn write_rendered(
    dir: &Path,
    files: &[(&'static str, String)],
) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_futex_line_of_an_strace_summary_is_read() {
        let summary = "% time     seconds  usecs/call     calls    errors syscall\n\
            ------ ----------- ----------- --------- --------- ----------------\n\
            100.00    0.004512          11       402        37 futex\n";
        assert_eq!(parse_summary(summary), Ok((402, 37)));
        let no_errors = "100.00    0.000000           0         1           futex\n";
        assert_eq!(parse_summary(no_errors), Ok((1, 0)));
        assert_eq!(parse_summary("  0.00 0.0 0 0 total\n"), Ok((0, 0)));
    }
}
