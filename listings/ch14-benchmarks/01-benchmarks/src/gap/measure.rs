//! The gap mode's runs: two independent runs of interleaved rounds in fresh processes.

use std::path::{Path, PathBuf};

use super::raw::{GapResults, GapSample, RAW_FILES};
use super::table::{render, write_rendered};
use super::variants::{JOBS, VARIANTS, Variant};
use crate::environment;
use crate::progress::Progress;
use crate::rng::Rng;
use crate::workers::{Binaries, reading, run_worker_with};

fn one(
    bins: &Binaries,
    variant: &Variant,
    args: &[&str],
) -> Result<(f64, u64, i64, i64), String> {
    // A worker whose evidence reading is disturbed (a thread of the hand-over still
    // flushing its cache) proves nothing either way: it runs again, at most twice; a
    // third failure stops the run.
    let worker = &bins.workers[&variant.allocator];
    let mut attempt = run_worker_with(worker, args, variant.env, variant.allocator);
    for _ in 0..2 {
        if attempt.is_ok() {
            break;
        }
        attempt = run_worker_with(worker, args, variant.env, variant.allocator);
    }
    let stdout = attempt?;
    Ok((
        reading(&stdout, "result", "ns_per_op")?,
        reading(&stdout, "result", "ops")? as u64,
        reading(&stdout, "result", "voluntary_switches")? as i64,
        reading(&stdout, "result", "involuntary_switches")? as i64,
    ))
}

/// Two runs of [`ROUNDS`] rounds (`rounds` in tests), each round every job on every
/// variant in a shuffled order.
pub fn measure(bins: &Binaries, rounds: usize) -> Result<GapResults, String> {
    let mut environment = environment::record();
    environment.push((
        "load_average_before".to_owned(),
        environment::load_average(),
    ));
    let mut progress = Progress::new(2 * rounds * JOBS.len() * VARIANTS.len());
    let mut samples = Vec::new();
    for run in 1..=2 {
        let mut rng = Rng::new(1400 + run as u64);
        for round in 0..rounds {
            let mut order: Vec<(usize, usize)> = (0..JOBS.len())
                .flat_map(|j| (0..VARIANTS.len()).map(move |v| (j, v)))
                .collect();
            rng.shuffle(&mut order);
            for (j, v) in order {
                let ((job, args), variant) = (JOBS[j], &VARIANTS[v]);
                progress.step(&format!(
                    "run {run} round {} {job} {}",
                    round + 1,
                    variant.name
                ));
                let (ns_per_op, ops, voluntary, involuntary) =
                    one(bins, variant, args)?;
                samples.push(GapSample {
                    run,
                    round,
                    job: job.to_owned(),
                    variant: variant.name.to_owned(),
                    ns_per_op,
                    ops,
                    voluntary,
                    involuntary,
                });
            }
        }
    }
    progress.finish();
    environment.push(("load_average_after".to_owned(), environment::load_average()));
    environment.push(("rounds_per_run".to_owned(), rounds.to_string()));
    environment.push(("warm_up_rounds_dropped".to_owned(), "1".to_owned()));
    Ok(GapResults {
        environment,
        samples,
    })
}

/// Measures, writes the raw files and the tables into `dir`.
pub fn run(dir: &Path, bins: &Binaries, rounds: usize) -> Result<Vec<PathBuf>, String> {
    let results = measure(bins, rounds)?;
    results.write_raw(dir)?;
    let mut written: Vec<PathBuf> = RAW_FILES.iter().map(|f| dir.join(f)).collect();
    written.extend(write_rendered(dir, &render(&results)?)?);
    Ok(written)
}
