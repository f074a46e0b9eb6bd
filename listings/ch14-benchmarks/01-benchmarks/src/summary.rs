//! The summary of a run: per workload, the medians and System's time against each other
//! allocator's, with its interval, finding and band; and its CSV file.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::Allocator;
use crate::bands::{self, Band};
use crate::results::Results;
use crate::stats::{self, Finding, Interval};
use crate::workloads::WORKLOADS;

/// System compared with one other allocator on one workload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    pub ratio: f64,
    pub interval: Interval,
    pub finding: Finding,
}

/// One workload's line of the summary.
#[derive(Debug, Clone)]
pub struct Row {
    pub workload: &'static str,
    pub what: &'static str,
    pub op: &'static str,
    /// Median ns per operation, by allocator.
    pub medians: BTreeMap<Allocator, f64>,
    pub jemalloc: Comparison,
    pub mimalloc: Comparison,
    /// The expected band and its origin; `None` when the book expects nothing in
    /// particular.
    pub band: Option<Band>,
    pub in_band: Option<bool>,
}

fn compare(
    results: &Results,
    workload: &str,
    other: Allocator,
    seed: u64,
) -> Result<Comparison, String> {
    let system = results.kept(workload, Allocator::System);
    let theirs = results.kept(workload, other);
    if system.is_empty() || system.len() != theirs.len() {
        return Err(format!(
            "{workload}: {} System samples and {} {} samples in the kept rounds; they must pair up",
            system.len(),
            theirs.len(),
            other.name()
        ));
    }
    let interval = stats::bootstrap_ratio(&system, &theirs, seed);
    Ok(Comparison {
        ratio: stats::ratio_of_medians(&system, &theirs),
        interval,
        finding: stats::finding(interval),
    })
}

/// The summary of every workload, from the raw samples. The bootstrap seed comes from
/// the environment record (`seed`), so the same data always gives the same intervals.
pub fn summarise(results: &Results) -> Result<Vec<Row>, String> {
    let seed: u64 = results.env("seed").parse().unwrap_or(0);
    WORKLOADS
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let medians = Allocator::ALL
                .into_iter()
                .map(|a| (a, stats::median(&results.kept(w.name, a))))
                .collect();
            let jemalloc = compare(
                results,
                w.name,
                Allocator::Jemalloc,
                seed.wrapping_add(2 * i as u64),
            )?;
            let mimalloc = compare(
                results,
                w.name,
                Allocator::Mimalloc,
                seed.wrapping_add(2 * i as u64 + 1),
            )?;
            let band = bands::expected(w.name);
            Ok(Row {
                workload: w.name,
                what: w.what,
                op: w.op,
                medians,
                in_band: band.map(|b| b.contains(jemalloc.ratio)),
                jemalloc,
                mimalloc,
                band,
            })
        })
        .collect()
}

/// What two runs say together about one comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Agreement {
    /// The same finding, and intervals that overlap.
    Agree(Finding),
    /// The same finding, but intervals that do not overlap: the direction holds, the
    /// size not.
    SameDirection(Finding),
    /// Different findings.
    Inconsistent,
}

impl Agreement {
    // ANCHOR: agreement
    /// What runs `a` and `b` of one comparison say together.
    pub fn of(a: &Comparison, b: &Comparison) -> Agreement {
        let overlap =
            a.interval.low <= b.interval.high && b.interval.low <= a.interval.high;
        match (a.finding == b.finding, overlap) {
            (true, true) => Agreement::Agree(a.finding),
            (true, false) => Agreement::SameDirection(a.finding),
            (false, _) => Agreement::Inconsistent,
        }
    }
    // ANCHOR_END: agreement

    /// The finding both runs share, if they share one.
    pub fn finding(self) -> Option<Finding> {
        match self {
            Agreement::Agree(f) | Agreement::SameDirection(f) => Some(f),
            Agreement::Inconsistent => None,
        }
    }

    /// As the tables write it; `other` names the allocator System is compared with.
    pub fn describe(self, other: &str) -> String {
        match self {
            Agreement::Agree(f) => f.describe(other),
            Agreement::SameDirection(f) => {
                format!("{}; the intervals do not overlap", f.describe(other))
            }
            Agreement::Inconsistent => "not consistent across two runs".to_owned(),
        }
    }
}

/// The summary of each run (`rows[run][workload]`), from every run's raw samples.
pub fn summarise_runs(runs: &[Results]) -> Result<Vec<Vec<Row>>, String> {
    runs.iter().map(summarise).collect()
}

/// Each workload's rows of runs 1 and 2, side by side.
pub fn pairs(rows: &[Vec<Row>]) -> Result<Vec<(&Row, &Row)>, String> {
    match rows {
        [one, two] if one.len() == two.len() => Ok(one.iter().zip(two).collect()),
        _ => Err(format!(
            "expected two runs of the same workloads, saw {} runs",
            rows.len()
        )),
    }
}

/// The summary as CSV, one line per run and workload.
pub fn summary_csv(rows: &[Vec<Row>]) -> String {
    let mut out = String::from(
        "run,workload,op,median_ns_system,median_ns_jemalloc,median_ns_mimalloc,\
         ratio_jemalloc,ci_low_jemalloc,ci_high_jemalloc,finding_jemalloc,band,band_origin,in_band,\
         ratio_mimalloc,ci_low_mimalloc,ci_high_mimalloc,finding_mimalloc\n",
    );
    for (run, r) in rows
        .iter()
        .enumerate()
        .flat_map(|(i, rows)| rows.iter().map(move |r| (i + 1, r)))
    {
        let _ = writeln!(
            out,
            "{run},{},{},{:.3},{:.3},{:.3},{:.4},{:.4},{:.4},{},{},{},{},{:.4},{:.4},{:.4},{}",
            r.workload,
            r.op,
            r.medians[&Allocator::System],
            r.medians[&Allocator::Jemalloc],
            r.medians[&Allocator::Mimalloc],
            r.jemalloc.ratio,
            r.jemalloc.interval.low,
            r.jemalloc.interval.high,
            r.jemalloc.finding.describe("jemalloc"),
            r.band.map_or("none".to_owned(), |b| b.range.describe()),
            r.band.map_or("none", |b| b.origin.kind()),
            r.in_band
                .map_or("n/a", |inside| if inside { "yes" } else { "no" }),
            r.mimalloc.ratio,
            r.mimalloc.interval.low,
            r.mimalloc.interval.high,
            r.mimalloc.finding.describe("mimalloc"),
        );
    }
    out
}
