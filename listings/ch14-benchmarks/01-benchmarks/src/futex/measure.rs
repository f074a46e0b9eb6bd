//! The futex mode's runs: what is counted, and two independent runs of interleaved
//! rounds.

use std::path::{Path, PathBuf};

use super::count::count;
use super::jobs::{ALLOCATORS, JOBS};
use super::raw::{FutexResults, FutexSample, RAW_FILES};
use super::table::{render, write_rendered};
use crate::environment;
use crate::progress::Progress;
use crate::rng::Rng;
use crate::workers::Binaries;

/// Two runs of `rounds` rounds, each round every job on every allocator in a shuffled
/// order.
pub fn measure(
    strace: &Path,
    bins: &Binaries,
    rounds: usize,
) -> Result<FutexResults, String> {
    let mut environment = environment::record();
    environment.push((
        "load_average_before".to_owned(),
        environment::load_average(),
    ));
    let scratch =
        std::env::temp_dir().join(format!("ch14-futex-{}", std::process::id()));
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
                let count =
                    count(strace, &bins.workers[&allocator], args, allocator, &file)?;
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
