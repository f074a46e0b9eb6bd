//! Chapter 14's producer/consumer gap, measured: time per block and context switches of System
//! (with glibc's settings varied one at a time) and jemalloc, on the hand-over workload with three
//! batch sizes and on `thread-local-2t`. Two independent runs (different seeds for the order),
//! each of interleaved rounds in fresh processes; the report says what both runs agree on.
//!
//! `cargo bench --locked --manifest-path listings/ch14-benchmarks/01-benchmarks/Cargo.toml -- --gap`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::Allocator;
use crate::csv::{quote, rows, write};
use crate::environment;
use crate::markdown::{human_ns, md_code};
use crate::progress::Progress;
use crate::rng::Rng;
use crate::stats::{Interval, bootstrap_ratio, finding, median};
use crate::workers::{Binaries, reading, run_worker_with};

/// An allocator with the environment it runs in.
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    pub name: &'static str,
    pub allocator: Allocator,
    pub env: &'static [(&'static str, &'static str)],
}

// ANCHOR: variants
/// What the documented explanation says matters: the per-thread cache's
/// size, and the number of arenas. jemalloc is the reference.
pub const VARIANTS: [Variant; 4] = [
    Variant {
        name: "system",
        allocator: Allocator::System,
        env: &[],
    },
    Variant {
        name: "system-tcache-1000",
        allocator: Allocator::System,
        env: &[("GLIBC_TUNABLES", "glibc.malloc.tcache_count=1000")],
    },
    Variant {
        name: "system-arena-max-1",
        allocator: Allocator::System,
        env: &[("MALLOC_ARENA_MAX", "1")],
    },
    Variant {
        name: "jemalloc",
        allocator: Allocator::Jemalloc,
        env: &[],
    },
];

/// The jobs: blocks handed over 1, 64 (`producer-consumer-2t`) or 1,024 per
/// message, and `thread-local-2t`, whose blocks never cross threads. Each
/// with its worker arguments.
pub const JOBS: [(&str, &[&str]); 4] = [
    ("handover-1", &["handover", "1", "2"]),
    ("producer-consumer-2t", &["handover", "64", "20"]),
    ("handover-1024", &["handover", "1024", "20"]),
    ("thread-local-2t", &["run", "thread-local-2t", "20"]),
];
// ANCHOR_END: variants

/// Rounds per run, the first dropped as a warm-up.
pub const ROUNDS: usize = 21;

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

fn one(bins: &Binaries, variant: &Variant, args: &[&str]) -> Result<(f64, u64, i64, i64), String> {
    // A worker whose evidence reading is disturbed (a thread of the hand-over still flushing its
    // cache) proves nothing either way: it runs again, at most twice; a third failure stops the run.
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

/// Two runs of [`ROUNDS`] rounds (`rounds` in tests), each round every job on every variant in a
/// shuffled order.
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
                let (ns_per_op, ops, voluntary, involuntary) = one(bins, variant, args)?;
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

impl GapResults {
    pub fn write_raw(&self, dir: &Path) -> Result<(), String> {
        let mut environment = String::from("key,value\n");
        for (key, value) in &self.environment {
            let _ = writeln!(environment, "{key},{}", quote(value));
        }
        let mut samples = String::from(
            "run,round,job,variant,ns_per_op,ops,voluntary_switches,involuntary_switches\n",
        );
        for s in &self.samples {
            let _ = writeln!(
                samples,
                "{},{},{},{},{:.3},{},{},{}",
                s.run, s.round, s.job, s.variant, s.ns_per_op, s.ops, s.voluntary, s.involuntary
            );
        }
        for (file, text) in RAW_FILES.iter().zip([environment, samples]) {
            write(&dir.join(file), &text)?;
        }
        Ok(())
    }

    pub fn read_raw(dir: &Path) -> Result<GapResults, String> {
        let environment = rows(dir, "environment.csv")?
            .into_iter()
            .map(|r| (r[0].clone(), r.get(1).cloned().unwrap_or_default()))
            .collect();
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
            .filter(|s| s.run == run && s.round >= 1 && s.job == job && s.variant == variant)
            .collect()
    }
}

/// What one run says about one job and variant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    pub ns_per_op: f64,
    /// Time on this variant / time on jemalloc, with its interval.
    pub vs_jemalloc: f64,
    pub interval: Interval,
    /// Median context switches per 1,000 blocks.
    pub voluntary: f64,
    pub involuntary: f64,
}

/// [`Cell`] of `run`, `job`, `variant`.
pub fn cell(results: &GapResults, run: usize, job: &str, variant: &str) -> Option<Cell> {
    let mine = results.kept(run, job, variant);
    let jem = results.kept(run, job, "jemalloc");
    if mine.is_empty() || mine.len() != jem.len() {
        return None;
    }
    let times = |v: &[&GapSample]| v.iter().map(|s| s.ns_per_op).collect::<Vec<f64>>();
    let per_1000 = |f: fn(&GapSample) -> i64| {
        median(
            &mine
                .iter()
                .map(|s| f(s) as f64 * 1000.0 / s.ops.max(1) as f64)
                .collect::<Vec<_>>(),
        )
    };
    let (a, b) = (times(&mine), times(&jem));
    Some(Cell {
        ns_per_op: median(&a),
        vs_jemalloc: median(&a) / median(&b),
        interval: bootstrap_ratio(&a, &b, 14),
        voluntary: per_1000(|s| s.voluntary),
        involuntary: per_1000(|s| s.involuntary),
    })
}

/// Where an interval of ratios to jemalloc lies.
pub fn verdict(interval: Interval) -> &'static str {
    match finding(interval) {
        crate::stats::Finding::NoDifference => "same",
        crate::stats::Finding::OtherFaster => "slower than jemalloc",
        crate::stats::Finding::SystemFaster => "faster than jemalloc",
        crate::stats::Finding::Unresolved => "unresolved",
    }
}

/// The table: per job and variant, both runs side by side.
pub fn render(results: &GapResults) -> Result<Vec<(&'static str, String)>, String> {
    let mut table = String::from(
        "| workload | allocator | time per block, run 1 / run 2 | / jemalloc, run 1 (95% CI) | \
         / jemalloc, run 2 (95% CI) | voluntary switches per 1,000 blocks, run 1 / run 2 | \
         involuntary, run 1 / run 2 |\n|---|---|--:|--:|--:|--:|--:|\n",
    );
    for (job, _) in JOBS {
        for variant in VARIANTS {
            let c = |run| {
                cell(results, run, job, variant.name).ok_or_else(|| {
                    format!("no paired samples for {job} {} run {run}", variant.name)
                })
            };
            let (one, two) = (c(1)?, c(2)?);
            let ratio = |c: Cell| {
                if variant.name == "jemalloc" {
                    "1".to_owned()
                } else {
                    format!(
                        "{:.2} ({:.2}-{:.2})",
                        c.vs_jemalloc, c.interval.low, c.interval.high
                    )
                }
            };
            let _ = writeln!(
                table,
                "| {} | {} | {} / {} | {} | {} | {:.1} / {:.1} | {:.1} / {:.1} |",
                md_code(job),
                md_code(variant.name),
                human_ns(one.ns_per_op),
                human_ns(two.ns_per_op),
                ratio(one),
                ratio(two),
                one.voluntary,
                two.voluntary,
                one.involuntary,
                two.involuntary,
            );
        }
    }
    let mut env = String::new();
    for (key, value) in &results.environment {
        let _ = writeln!(env, "- {}: {}", md_code(key), md_code(value));
    }
    Ok(vec![("gap.md", table), ("environment.md", env)])
}

/// Measures, writes the raw files and the tables into `dir`.
pub fn run(dir: &Path, bins: &Binaries, rounds: usize) -> Result<Vec<PathBuf>, String> {
    let results = measure(bins, rounds)?;
    results.write_raw(dir)?;
    let mut written: Vec<PathBuf> = RAW_FILES.iter().map(|f| dir.join(f)).collect();
    written.extend(write_rendered(dir, &render(&results)?)?);
    Ok(written)
}

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
