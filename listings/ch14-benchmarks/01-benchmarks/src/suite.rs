//! The runner: every workload on every allocator, in fresh processes, interleaved in
//! random order round after round; then the RSS workload, the binary sizes, and the
//! reports.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::Allocator;
use crate::environment;
use crate::line::fields;
use crate::progress::Progress;
use crate::report;
use crate::results::{self, Results, RssRow, Sample, run_dir};
use crate::rng::Rng;
use crate::workers::{Binaries, reading, run_worker};
use crate::workloads::{Runner, WORKLOADS, Workload};

/// How much to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// `full`, `quick` or `smoke`, recorded in the environment.
    pub mode: &'static str,
    /// Rounds, the first of which is a warm-up and is dropped.
    pub rounds: usize,
    /// Repetitions per sample, as a fraction of a workload's `full_reps` (at least 1).
    pub rep_scale: f64,
    /// The RSS workload's total allocation, and when it reads after freeing (seconds).
    pub rss_mebibytes: usize,
    pub rss_waits: Vec<f64>,
    /// Seeds the order of jobs and the bootstrap.
    pub seed: u64,
    /// Where the raw results and tables go, and where the plots go.
    pub results_dir: PathBuf,
    pub img_dir: PathBuf,
}

impl Config {
    /// The committed run: 41 rounds (40 kept), full repetitions, RSS of 200 MiB read at
    /// 0, 1 and 12 s. About 3 minutes on 2 cores.
    pub fn full(results_dir: PathBuf, img_dir: PathBuf) -> Config {
        Config {
            mode: "full",
            rounds: 41,
            rep_scale: 1.0,
            rss_mebibytes: 200,
            rss_waits: vec![0.0, 1.0, 12.0],
            seed: 14,
            results_dir,
            img_dir,
        }
    }

    /// `--quick`: 4 rounds at a tenth of the repetitions, RSS read at 0, 0.2 and 1 s;
    /// under a minute once built. Writes under `dir`, never over the committed results.
    pub fn quick(dir: &Path) -> Config {
        Config {
            mode: "quick",
            rounds: 4,
            rep_scale: 0.1,
            rss_waits: vec![0.0, 0.2, 1.0],
            results_dir: dir.join("results"),
            img_dir: dir.join("img"),
            ..Config::full(PathBuf::new(), PathBuf::new())
        }
    }

    /// For the tests: 3 rounds of one repetition each, a 16 MiB RSS workload; debug
    /// builds.
    pub fn smoke(dir: &Path) -> Config {
        Config {
            mode: "smoke",
            rounds: 3,
            rep_scale: 0.0,
            rss_mebibytes: 16,
            rss_waits: vec![0.0, 0.05],
            ..Config::quick(dir)
        }
    }

    fn reps(&self, workload: &Workload) -> u32 {
        ((f64::from(workload.full_reps) * self.rep_scale).round() as u32).max(1)
    }
}

/// Mean wall time of `spawns` runs of `program`, from spawn to exit, in ns.
fn startup_ns(program: &Path, spawns: u32) -> Result<f64, String> {
    let start = Instant::now();
    for _ in 0..spawns {
        let status = Command::new(program)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .map_err(|err| format!("cannot run {}: {err}", program.display()))?;
        if !status.success() {
            return Err(format!("{} failed: {status}", program.display()));
        }
    }
    Ok(start.elapsed().as_nanos() as f64 / f64::from(spawns))
}

fn one_sample(
    config: &Config,
    bins: &Binaries,
    workload: &Workload,
    allocator: Allocator,
) -> Result<f64, String> {
    let reps = config.reps(workload);
    match workload.runner {
        Runner::InWorker(_) => {
            let reps = reps.to_string();
            let stdout = run_worker(
                bins.worker(allocator),
                &["run", workload.name, &reps],
                allocator,
            )?;
            reading(&stdout, "result", "ns_per_op")
        }
        Runner::Startup => startup_ns(&bins.minimal[&allocator], reps),
    }
}

// ANCHOR: rounds
/// Every round runs every workload on every allocator once, each in a fresh process.
/// The order of workloads, and of allocators within a workload, is shuffled every round
/// (A B C, then C A B, ...), so that slow drifts of the machine spread over all
/// allocators instead of favouring one.
fn timed_rounds(
    config: &Config,
    bins: &Binaries,
    run: usize,
    progress: &mut Progress,
) -> Result<Vec<Sample>, String> {
    let mut rng = Rng::new(config.seed);
    let mut samples = Vec::new();
    for round in 0..config.rounds {
        let mut workloads: Vec<&Workload> = WORKLOADS.iter().collect();
        rng.shuffle(&mut workloads);
        for workload in workloads {
            let mut order = Allocator::ALL;
            rng.shuffle(&mut order);
            for allocator in order {
                progress.step(&format!(
                    "run {run} round {}/{} {} {}",
                    round + 1,
                    config.rounds,
                    workload.name,
                    allocator.name()
                ));
                let ns_per_op = one_sample(config, bins, workload, allocator)?;
                samples.push(Sample {
                    round,
                    workload: workload.name.to_owned(),
                    allocator,
                    ns_per_op,
                });
            }
        }
    }
    Ok(samples)
}
// ANCHOR_END: rounds

/// The RSS workload on the three allocators at once: each process reads only its own
/// memory, and most of the time they sleep.
fn rss_runs(config: &Config, bins: &Binaries) -> Result<Vec<RssRow>, String> {
    let mebibytes = config.rss_mebibytes.to_string();
    let waits: Vec<String> = config.rss_waits.iter().map(|s| format!("{s}")).collect();
    let waits = waits.join(",");
    let outputs: Vec<(Allocator, Result<String, String>)> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = Allocator::ALL
                .map(|a| {
                    let (mebibytes, waits) = (&mebibytes, &waits);
                    (
                        a,
                        scope.spawn(move || {
                            run_worker(bins.worker(a), &["rss", mebibytes, waits], a)
                        }),
                    )
                })
                .into_iter()
                .collect();
            handles
                .into_iter()
                .map(|(a, h)| {
                    (
                        a,
                        h.join().unwrap_or_else(|_| {
                            Err("the RSS thread panicked".to_owned())
                        }),
                    )
                })
                .collect()
        });
    let mut rows = Vec::new();
    for (allocator, output) in outputs {
        for line in output?.lines().filter_map(|l| l.strip_prefix("rss ")) {
            let f = fields(line);
            let number = |key: &str| -> Result<u64, String> {
                f.get(key)
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| format!("rss line without {key}: {line}"))
            };
            rows.push(RssRow {
                allocator,
                phase: f.get("phase").copied().unwrap_or("?").to_owned(),
                after_ms: number("after_ms")?,
                bytes: number("bytes")?,
            });
        }
    }
    Ok(rows)
}

/// Runs everything `config` asks for, as run `run` of [`results::RUNS`] (counted from
/// 1, each with its own order of jobs), and returns the results (nothing written yet).
pub fn measure(
    config: &Config,
    bins: &Binaries,
    run: usize,
    progress: &mut Progress,
) -> Result<Results, String> {
    let config = &Config {
        seed: config.seed + run as u64 - 1,
        ..config.clone()
    };
    let mut environment = environment::record();
    environment.push((
        "load_average_before".to_owned(),
        environment::load_average(),
    ));
    for allocator in Allocator::ALL {
        run_worker(bins.worker(allocator), &["prove"], allocator)?;
    }
    let samples = timed_rounds(config, bins, run, progress)?;
    progress.step(&format!(
        "run {run}: RSS after freeing 90% (all three allocators at once)"
    ));
    let rss = rss_runs(config, bins)?;
    let sizes = Allocator::ALL
        .into_iter()
        .map(|a| {
            let path = &bins.minimal[&a];
            std::fs::metadata(path)
                .map(|m| (a, m.len()))
                .map_err(|err| format!("cannot read {}: {err}", path.display()))
        })
        .collect::<Result<_, String>>()?;
    environment.push(("load_average_after".to_owned(), environment::load_average()));
    for (key, value) in [
        ("mode", config.mode.to_owned()),
        ("run", run.to_string()),
        ("rounds", config.rounds.to_string()),
        (
            "warm_up_rounds_dropped",
            results::WARM_UP_ROUNDS.to_string(),
        ),
        ("rep_scale", config.rep_scale.to_string()),
        ("seed", config.seed.to_string()),
    ] {
        environment.push((key.to_owned(), value));
    }
    Ok(Results {
        environment,
        samples,
        rss,
        sizes,
    })
}

/// Makes every run, writes each run's raw results under `run-1/`, `run-2/`, derives the
/// tables and plots from all of them and writes those; returns every path written.
pub fn run(config: &Config, bins: &Binaries) -> Result<Vec<PathBuf>, String> {
    let mut progress = Progress::new(
        results::RUNS * (config.rounds * WORKLOADS.len() * Allocator::ALL.len() + 1),
    );
    let mut runs = Vec::new();
    let mut written = Vec::new();
    for run in 1..=results::RUNS {
        let results = measure(config, bins, run, &mut progress)?;
        let dir = run_dir(&config.results_dir, run);
        results.write_raw(&dir)?;
        written.extend(results::RAW_FILES.iter().map(|f| dir.join(f)));
        runs.push(results);
    }
    progress.finish();
    written.extend(render(&runs, config)?);
    Ok(written)
}

/// Derives the tables and plots from every run's results and writes them where `config`
/// says.
pub fn render(runs: &[Results], config: &Config) -> Result<Vec<PathBuf>, String> {
    let rendered = report::render(runs)?;
    report::write_rendered(&rendered, &config.results_dir, &config.img_dir)
}
