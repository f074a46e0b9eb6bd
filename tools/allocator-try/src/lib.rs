//! Runs an existing program under System, jemalloc and mimalloc without rebuilding it, by
//! preloading a shared library that defines `malloc` (`LD_PRELOAD`), and compares wall times.
//!
//! - [`check_target`] inspects the program with `allocator-inspect` first and refuses when
//!   preloading cannot move its allocations.
//! - [`run_once`] runs it once, in a fresh process, and keeps the run only with evidence on its
//!   stderr that the preloaded allocator started in it.
//! - [`report`] turns interleaved samples into medians, System/other ratios and bootstrap
//!   intervals, with chapter 14's statistics ([`stats`]).

use std::fmt;
use std::path::{Path, PathBuf};

use allocator_inspect::{CMalloc, Inspection, Kind, RustAllocator, inspect};

// Chapter 14's statistics, compiled from its files: that listing is a separate workspace (its
// jemalloc has no `stats`, and its plotting dependencies would enter the root lock file), so the
// runner cannot depend on its crate. `stats` needs `crate::rng`.
#[path = "../../../listings/ch14-benchmarks/src/rng.rs"]
pub mod rng;
#[path = "../../../listings/ch14-benchmarks/src/stats.rs"]
pub mod stats;

/// An allocator a run can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Allocator {
    System,
    Jemalloc,
    Mimalloc,
}

/// The Debian packages that provide the preloaded libraries, and where they put them.
pub const JEMALLOC_LIBRARY: &str = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
pub const JEMALLOC_PACKAGE: &str = "libjemalloc2";
pub const MIMALLOC_LIBRARY: &str = "/usr/lib/x86_64-linux-gnu/libmimalloc.so.2";
pub const MIMALLOC_PACKAGE: &str = "libmimalloc2.0";

impl Allocator {
    pub const ALL: [Allocator; 3] = [Allocator::System, Allocator::Jemalloc, Allocator::Mimalloc];

    pub fn name(self) -> &'static str {
        match self {
            Allocator::System => "System",
            Allocator::Jemalloc => "jemalloc",
            Allocator::Mimalloc => "mimalloc",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    // ANCHOR: evidence
    /// What the run's environment asks of the preloaded allocator, and the line it then writes
    /// to stderr when it starts in the process: jemalloc confirms each configuration value it
    /// set, mimalloc announces its process initialisation when verbose.
    pub fn evidence(self) -> Option<(&'static str, &'static str, &'static str)> {
        match self {
            Allocator::System => None,
            Allocator::Jemalloc => Some((
                "MALLOC_CONF",
                "confirm_conf:true",
                "<jemalloc>: -- Set conf value: confirm_conf:true",
            )),
            Allocator::Mimalloc => Some(("MIMALLOC_VERBOSE", "1", "mimalloc: process init")),
        }
    }
    // ANCHOR_END: evidence
}

impl fmt::Display for Allocator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a program cannot be tried with a preloaded allocator.
#[derive(Debug)]
pub enum Refusal {
    /// The program could not be found or inspected.
    Inspect(String),
    /// Preloading would not move its allocations, or the loader would ignore it.
    Cannot { program: PathBuf, why: String },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Inspect(message) => f.write_str(message),
            Refusal::Cannot { program, why } => {
                write!(f, "{}: preloading cannot work:\n  {why}", program.display())
            }
        }
    }
}

/// The program's path: `program` itself when it names a path, else the first match in `PATH`.
pub fn resolve(program: &str) -> Result<PathBuf, Refusal> {
    if program.contains('/') {
        return Ok(PathBuf::from(program));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| {
            Refusal::Inspect(format!(
                "{program}: no such command in PATH; give its path, or install it"
            ))
        })
}

// ANCHOR: check_target
/// Inspects the program and refuses when a preloaded `malloc` cannot serve it. Returns the
/// inspection and, when it proceeds with a doubt, a warning to print.
pub fn check_target(program: &Path) -> Result<(Inspection, Option<String>), Refusal> {
    let cannot = |why: &str| Refusal::Cannot {
        program: program.to_owned(),
        why: why.to_owned(),
    };
    if set_id(program) {
        return Err(cannot(
            "it is setuid or setgid, and the loader ignores LD_PRELOAD for such programs",
        ));
    }
    let inspection = inspect(program).map_err(|err| {
        Refusal::Inspect(format!(
            "{err} (a script? try the interpreter it names, with the script as its argument)"
        ))
    })?;
    let verdict = &inspection.verdict;
    match inspection.kind {
        Kind::Executable {
            interpreter: false, ..
        } => {
            return Err(cannot(
                "it is statically linked: no loader reads LD_PRELOAD",
            ));
        }
        Kind::Executable { .. } => {}
        _ => return Err(cannot("it is not an executable")),
    }
    if !matches!(verdict.malloc, CMalloc::Imported | CMalloc::Unused) {
        return Err(cannot(&format!(
            "it defines malloc itself ({}), which comes before a preloaded one",
            verdict.malloc
        )));
    }
    if matches!(
        verdict.rust,
        RustAllocator::Jemalloc | RustAllocator::Mimalloc
    ) {
        return Err(cannot(&format!(
            "its Rust allocations go to the {} it carries, which a preload does not replace",
            verdict.rust
        )));
    }
    let warning = (verdict.rust == RustAllocator::Declared).then(|| {
        "warning: it declares a #[global_allocator] or was built with LTO; if that allocator \
         is not System, its Rust allocations will not move"
            .to_owned()
    });
    Ok((inspection, warning))
}
// ANCHOR_END: check_target

#[cfg(unix)]
fn set_id(program: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    program
        .metadata()
        .is_ok_and(|meta| meta.permissions().mode() & 0o6000 != 0)
}

#[cfg(not(unix))]
fn set_id(_: &Path) -> bool {
    false
}

/// One run of the program.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub round: usize,
    pub allocator: Allocator,
    /// Wall time, in seconds.
    pub wall: f64,
    /// Peak resident set size, in KiB (`ru_maxrss` from `wait4`).
    pub max_rss_kib: u64,
}

/// Why a run's result was refused.
#[derive(Debug)]
pub enum RunError {
    Spawn(String),
    Failed {
        allocator: Allocator,
        status: String,
        stderr_tail: String,
    },
    NoEvidence {
        allocator: Allocator,
        library: PathBuf,
        expected: &'static str,
    },
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Spawn(message) => f.write_str(message),
            RunError::Failed {
                allocator,
                status,
                stderr_tail,
            } => {
                write!(
                    f,
                    "the program failed under {allocator} ({status}); results refused."
                )?;
                if !stderr_tail.is_empty() {
                    write!(f, "\n  Its stderr ended with: {stderr_tail}")?;
                }
                Ok(())
            }
            RunError::NoEvidence {
                allocator,
                library,
                expected,
            } => write!(
                f,
                "no evidence that {allocator} served the run; results refused:\n  no line \
                 \"{expected}\" on its stderr.\n  Is {} a {allocator} library?",
                library.display()
            ),
        }
    }
}

impl std::error::Error for RunError {}

/// Runs `program args` once under `allocator` (preloading `library` unless System), with stdout
/// discarded and stderr kept in `scratch`, and returns the sample, or an error when the run
/// failed or gave no evidence of the allocator.
#[cfg(unix)]
pub fn run_once(
    program: &Path,
    args: &[String],
    allocator: Allocator,
    library: &Path,
    round: usize,
    scratch: &Path,
) -> Result<Sample, RunError> {
    use std::process::{Command, Stdio};
    use std::time::Instant;

    let spawn_error = |what: &str, err: std::io::Error| RunError::Spawn(format!("{what}: {err}"));
    let stderr = std::fs::File::create(scratch)
        .map_err(|err| spawn_error(&format!("cannot create {}", scratch.display()), err))?;
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .env_remove("LD_PRELOAD")
        .env_remove("MALLOC_CONF")
        .env_remove("MIMALLOC_VERBOSE");
    if let Some((key, value, _)) = allocator.evidence() {
        command.env("LD_PRELOAD", library).env(key, value);
    }
    let start = Instant::now();
    let child = command
        .spawn()
        .map_err(|err| spawn_error(&format!("cannot run {}", program.display()), err))?;
    let (status, usage) = wait4(child.id())
        .map_err(|err| spawn_error(&format!("cannot wait for {}", program.display()), err))?;
    let wall = start.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(scratch).unwrap_or_default();
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        // The program's own last lines, without the allocator's evidence lines.
        let tail: Vec<&str> = text
            .lines()
            .filter(|line| !line.starts_with("<jemalloc>: ") && !line.starts_with("mimalloc: "))
            .rev()
            .take(3)
            .collect();
        return Err(RunError::Failed {
            allocator,
            status: describe_status(status),
            stderr_tail: tail.into_iter().rev().collect::<Vec<_>>().join(" | "),
        });
    }
    if let Some((_, _, expected)) = allocator.evidence()
        && !text.lines().any(|line| line.contains(expected))
    {
        return Err(RunError::NoEvidence {
            allocator,
            library: library.to_owned(),
            expected,
        });
    }
    Ok(Sample {
        round,
        allocator,
        wall,
        // Linux reports ru_maxrss in KiB.
        max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
    })
}

/// Waits for the child `pid` with `wait4`, which returns its resource usage (peak RSS) too.
#[cfg(unix)]
fn wait4(pid: u32) -> std::io::Result<(libc::c_int, libc::rusage)> {
    let pid = libc::pid_t::try_from(pid).map_err(std::io::Error::other)?;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data, and all zeroes is a valid value of it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet waited for (std's `Child` is never waited on
        // here); `status` and `usage` are valid for writes for the whole call.
        let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if waited == pid {
            return Ok((status, usage));
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

#[cfg(unix)]
fn describe_status(status: libc::c_int) -> String {
    if libc::WIFEXITED(status) {
        format!("exit status {}", libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        format!("killed by signal {}", libc::WTERMSIG(status))
    } else {
        format!("wait status {status}")
    }
}

/// The samples as CSV: `round,allocator,wall_s,max_rss_kib`.
pub fn to_csv(samples: &[Sample]) -> String {
    let mut csv = String::from("round,allocator,wall_s,max_rss_kib\n");
    for s in samples {
        csv.push_str(&format!(
            "{},{},{:.6},{}\n",
            s.round, s.allocator, s.wall, s.max_rss_kib
        ));
    }
    csv
}

/// Reads what [`to_csv`] wrote.
pub fn from_csv(text: &str) -> Result<Vec<Sample>, String> {
    text.lines()
        .skip(1)
        .enumerate()
        .map(|(index, line)| {
            let bad = || {
                format!(
                    "line {}: expected round,allocator,wall_s,max_rss_kib",
                    index + 2
                )
            };
            let fields: Vec<&str> = line.split(',').collect();
            let [round, allocator, wall, rss] = fields[..] else {
                return Err(bad());
            };
            Ok(Sample {
                round: round.parse().map_err(|_| bad())?,
                allocator: Allocator::from_name(allocator).ok_or_else(bad)?,
                wall: wall.parse().map_err(|_| bad())?,
                max_rss_kib: rss.parse().map_err(|_| bad())?,
            })
        })
        .collect()
}

/// The seed of the bootstrap, fixed so that a report is reproducible from its samples.
pub const SEED: u64 = 0x5eed;

// ANCHOR: report
/// The summary table: per allocator, the median wall time and peak RSS, and System's time over
/// the allocator's with its 95% bootstrap interval (paired by round) and what it lets us say.
pub fn report(samples: &[Sample]) -> String {
    let of = |allocator: Allocator| -> Vec<&Sample> {
        let mut runs: Vec<&Sample> = samples
            .iter()
            .filter(|s| s.allocator == allocator)
            .collect();
        runs.sort_by_key(|s| s.round);
        runs
    };
    let walls = |runs: &[&Sample]| runs.iter().map(|s| s.wall).collect::<Vec<f64>>();
    let system = of(Allocator::System);
    let mut table = format!(
        "{:<9} {:>5} {:>12} {:>10} {:>10}  {}\n",
        "allocator", "runs", "median wall", "peak RSS", "System/it", "95% interval"
    );
    for allocator in Allocator::ALL {
        let runs = of(allocator);
        if runs.is_empty() {
            continue;
        }
        let rss: Vec<f64> = runs.iter().map(|s| s.max_rss_kib as f64).collect();
        let (ratio, interval) = if allocator == Allocator::System || runs.len() != system.len() {
            ("-".to_owned(), "-".to_owned())
        } else {
            let (top, bottom) = (walls(&system), walls(&runs));
            let interval = stats::bootstrap_ratio(&top, &bottom, SEED);
            (
                format!("{:.3}", stats::ratio_of_medians(&top, &bottom)),
                format!(
                    "{:.3}-{:.3} ({})",
                    interval.low,
                    interval.high,
                    stats::finding(interval).describe(allocator.name())
                ),
            )
        };
        table.push_str(&format!(
            "{:<9} {:>5} {:>10.1}ms {:>7.1}MiB {:>10}  {}\n",
            allocator.name(),
            runs.len(),
            stats::median(&walls(&runs)) * 1000.0,
            stats::median(&rss) / 1024.0,
            ratio,
            interval
        ));
    }
    table
}
// ANCHOR_END: report

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(round: usize, allocator: Allocator, wall: f64) -> Sample {
        Sample {
            round,
            allocator,
            wall,
            max_rss_kib: 2048,
        }
    }

    #[test]
    fn samples_survive_csv() {
        let samples = vec![
            sample(0, Allocator::System, 0.25),
            sample(0, Allocator::Mimalloc, 0.125),
        ];
        assert_eq!(from_csv(&to_csv(&samples)), Ok(samples));
        assert!(from_csv("header\n1,tcmalloc,0.1,3\n").is_err());
    }

    #[test]
    fn the_report_gives_system_over_the_other_allocator() {
        let samples: Vec<Sample> = (0..6)
            .flat_map(|round| {
                let base = 0.1 + round as f64 * 0.001;
                [
                    sample(round, Allocator::System, 2.0 * base),
                    sample(round, Allocator::Jemalloc, base),
                ]
            })
            .collect();
        let table = report(&samples);
        assert!(
            table.contains("2.000-2.000 (jemalloc faster)"),
            "expected System to take twice jemalloc's time, saw:\n{table}"
        );
    }
}
