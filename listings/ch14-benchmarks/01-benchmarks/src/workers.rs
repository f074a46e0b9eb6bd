//! Starting the worker processes and reading what they print: the runner, the gap and
//! memory modes and the tests all start workers through here, and every run checks,
//! from the evidence line, that the expected allocator served the worker.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::Allocator;
use crate::evidence::Evidence;
use crate::line::fields;

/// The programs the runner starts: each allocator's worker and minimal program.
#[derive(Debug, Clone)]
pub struct Binaries {
    pub workers: BTreeMap<Allocator, PathBuf>,
    pub minimal: BTreeMap<Allocator, PathBuf>,
}

/// The [`Binaries`] Cargo built for the calling benchmark or integration test, from the
/// `CARGO_BIN_EXE_<name>` paths Cargo gives those targets (and only those) when it
/// compiles them.
#[macro_export]
macro_rules! binaries {
    () => {
        $crate::workers::Binaries {
            workers: ::std::collections::BTreeMap::from([
                (
                    $crate::Allocator::System,
                    env!("CARGO_BIN_EXE_bench-system").into(),
                ),
                (
                    $crate::Allocator::Jemalloc,
                    env!("CARGO_BIN_EXE_bench-jemalloc").into(),
                ),
                (
                    $crate::Allocator::Mimalloc,
                    env!("CARGO_BIN_EXE_bench-mimalloc").into(),
                ),
            ]),
            minimal: ::std::collections::BTreeMap::from([
                (
                    $crate::Allocator::System,
                    env!("CARGO_BIN_EXE_min-system").into(),
                ),
                (
                    $crate::Allocator::Jemalloc,
                    env!("CARGO_BIN_EXE_min-jemalloc").into(),
                ),
                (
                    $crate::Allocator::Mimalloc,
                    env!("CARGO_BIN_EXE_min-mimalloc").into(),
                ),
            ]),
        }
    };
}

impl Binaries {
    /// The worker binary of `allocator`.
    pub fn worker(&self, allocator: Allocator) -> &Path {
        &self.workers[&allocator]
    }
}

/// Runs `worker` with `args`; returns its stdout after checking, from the evidence line
/// it printed last, that `expected` served its allocations. A sample from the wrong
/// allocator is an error, never a data point.
pub fn run_worker(
    worker: &Path,
    args: &[&str],
    expected: Allocator,
) -> Result<String, String> {
    run_worker_with(worker, args, &[], expected)
}

/// [`run_worker`] with environment variables set for the worker (an allocator's
/// configuration).
pub fn run_worker_with(
    worker: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    expected: Allocator,
) -> Result<String, String> {
    let output = Command::new(worker)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .map_err(|err| format!("cannot run {}: {err}", worker.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        return Err(format!(
            "{} {args:?} failed ({}):\n{stdout}{}",
            worker.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let evidence: Evidence = stdout
        .lines()
        .last()
        .ok_or_else(|| format!("{} {args:?} printed nothing", worker.display()))?
        .parse()?;
    if evidence.served_by() != Some(expected) {
        return Err(format!(
            "{} {args:?} should run on {} but its readings say otherwise: {evidence}",
            worker.display(),
            expected.name()
        ));
    }
    Ok(stdout)
}

/// The number `key` of the first line of `stdout` that starts with `kind` ("result",
/// "rss").
pub fn reading(stdout: &str, kind: &str, key: &str) -> Result<f64, String> {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(kind)?.strip_prefix(' '))
        .and_then(|line| fields(line).get(key).and_then(|v| v.parse().ok()))
        .ok_or_else(|| format!("no {kind} line with {key} in:\n{stdout}"))
}

/// The number `key` of every line of `stdout` that starts with `kind`, in order.
pub fn readings(stdout: &str, kind: &str, key: &str) -> Vec<f64> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix(kind)?.strip_prefix(' '))
        .filter_map(|line| fields(line).get(key).and_then(|v| v.parse().ok()))
        .collect()
}
