//! The gap table: per job and variant, both runs side by side, from the raw results
//! alone.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::raw::{GapResults, GapSample};
use super::variants::{JOBS, VARIANTS};
use crate::csv::write;
use crate::markdown::{human_ns, md_code};
use crate::stats::{Interval, bootstrap_ratio, finding, median};

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
pub fn cell(
    results: &GapResults,
    run: usize,
    job: &str,
    variant: &str,
) -> Option<Cell> {
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
