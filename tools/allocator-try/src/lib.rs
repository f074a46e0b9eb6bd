//! Runs an existing program under System, jemalloc and mimalloc without rebuilding it, by
//! preloading a shared library that defines `malloc` (`LD_PRELOAD`), and compares wall times.
//!
//! - [`check_target`] inspects the program with `allocator-inspect` first and refuses when
//!   preloading cannot move its allocations.
//! - [`run_once`] runs it once, in a fresh process, and keeps the run only with evidence, written
//!   at exit by the preload library (`preload-jemalloc`, `preload-mimalloc`), that it served the
//!   process's allocations.
//! - [`report`] turns interleaved samples into medians, System/other ratios and bootstrap
//!   intervals, with chapter 14's statistics ([`stats`]).

use std::fmt;
use std::path::{Path, PathBuf};

use allocator_inspect::{CMalloc, Inspection, Kind, RustAllocator, inspect};

// Chapter 14's statistics, compiled from its files: that listing is a separate workspace (its
// jemalloc has no `stats`, and its plotting dependencies would enter the root lock file), so the
// runner cannot depend on its crate. `stats` needs `crate::rng`.
#[path = "../../../listings/ch14-benchmarks/01-benchmarks/src/rng.rs"]
pub mod rng;
#[path = "../../../listings/ch14-benchmarks/01-benchmarks/src/stats.rs"]
pub mod stats;

pub mod plot;

/// An allocator a run can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Allocator {
    System,
    Jemalloc,
    Mimalloc,
}

/// The repository's target directory, where [`build_command`] puts the preload libraries (in
/// `release/`), and where `allocator-try` looks for them unless told otherwise. The tool finds it
/// from its own source directory, which `cargo install --path` keeps too.
pub fn target_dir() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().nth(2).unwrap_or(here).join("target")
}

/// The environment variable that names the file descriptor a preload library writes its
/// evidence to at exit.
pub const EVIDENCE_FD: &str = "ALLOCATOR_TRY_EVIDENCE_FD";

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

    /// The preload library's package (a separate workspace beside this crate), or `None` for
    /// System, which runs with nothing preloaded.
    pub fn preload_package(self) -> Option<&'static str> {
        match self {
            Allocator::System => None,
            Allocator::Jemalloc => Some("preload-jemalloc"),
            Allocator::Mimalloc => Some("preload-mimalloc"),
        }
    }

    /// The file the release build of its preload library writes, in [`target_dir`].
    pub fn default_library(self) -> Option<PathBuf> {
        let package = self.preload_package()?;
        let file = format!("lib{}.so", package.replace('-', "_"));
        Some(target_dir().join("release").join(file))
    }
}

/// The command that builds the release preload library of `allocator`, into [`target_dir`].
pub fn build_command(allocator: Allocator) -> String {
    let package = allocator.preload_package().unwrap_or("preload-jemalloc");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    format!(
        "cargo build --release --locked --manifest-path {} --target-dir {}",
        here.join(package).join("Cargo.toml").display(),
        target_dir().display()
    )
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
/// Inspects the program and refuses when a preloaded `malloc` cannot serve it. Returns
/// the inspection and, when it proceeds with a doubt, a warning to print.
pub fn check_target(program: &Path) -> Result<(Inspection, Option<String>), Refusal> {
    let cannot = |why: &str| Refusal::Cannot {
        program: program.to_owned(),
        why: why.to_owned(),
    };
    if set_id(program) {
        return Err(cannot(
            "it is setuid or setgid, and the loader ignores LD_PRELOAD for such \
             programs",
        ));
    }
    let inspection = inspect(program).map_err(|err| {
        Refusal::Inspect(format!(
            "{err} (a script? try the interpreter it names, with the script as its \
             argument)"
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
            "its Rust allocations go to the {} it carries, which a preload does not \
             replace",
            verdict.rust
        )));
    }
    let warning = (verdict.rust == RustAllocator::Declared).then(|| {
        "warning: it declares a #[global_allocator] or was built with LTO; if that \
         allocator is not System, its Rust allocations will not move"
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
        seen: String,
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
                seen,
            } => {
                write!(
                    f,
                    "no evidence that {allocator} served the run; results refused:\n  no line \
                     \"{allocator} <pid> <allocations>\" from the program's process at exit."
                )?;
                if !seen.is_empty() {
                    write!(f, " It wrote: {seen}")?;
                }
                write!(
                    f,
                    "\n  Is {} a preload library of allocator-try's?\n  (A program that \
                     ends with _exit, which skips exit's handlers, gives none.)",
                    library.display()
                )
            }
        }
    }
}

impl std::error::Error for RunError {}

// ANCHOR: run_once
/// Runs `program args` once under `allocator` (preloading `library` unless System), with stdout
/// discarded and stderr kept in `scratch`, and returns the sample, or an error when the run
/// failed or gave no evidence of the allocator. The evidence goes to `scratch` + `.evidence`,
/// through a descriptor the child inherits and the preload library names itself in.
#[cfg(unix)]
pub fn run_once(
    program: &Path,
    args: &[String],
    allocator: Allocator,
    library: &Path,
    round: usize,
    scratch: &Path,
) -> Result<Sample, RunError> {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    use std::time::Instant;

    let spawn_error = |what: &str, err: std::io::Error| RunError::Spawn(format!("{what}: {err}"));
    let create = |path: &Path| {
        std::fs::File::create(path)
            .map_err(|err| spawn_error(&format!("cannot create {}", path.display()), err))
    };
    let stderr = create(scratch)?;
    let evidence_path = scratch.with_extension("evidence");
    let evidence = create(&evidence_path)?;
    let evidence_fd = evidence.as_raw_fd();
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .env_remove("LD_PRELOAD")
        .env_remove(EVIDENCE_FD);
    if allocator != Allocator::System {
        command
            .env("LD_PRELOAD", library)
            .env(EVIDENCE_FD, evidence_fd.to_string());
        // SAFETY: between fork and exec, fcntl is async-signal-safe, and it touches only the
        // child's copy of a descriptor that stays open in the parent until the child is reaped.
        unsafe {
            command.pre_exec(move || {
                // Std opens files close-on-exec; the preload library writes to this one.
                if libc::fcntl(evidence_fd, libc::F_SETFD, 0) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let start = Instant::now();
    let child = command
        .spawn()
        .map_err(|err| spawn_error(&format!("cannot run {}", program.display()), err))?;
    let pid = child.id();
    let (status, usage) = wait4(pid)
        .map_err(|err| spawn_error(&format!("cannot wait for {}", program.display()), err))?;
    let wall = start.elapsed().as_secs_f64();
    drop(evidence);
    let text = std::fs::read_to_string(scratch).unwrap_or_default();
    let written = std::fs::read_to_string(&evidence_path).unwrap_or_default();
    let _ = std::fs::remove_file(&evidence_path);
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        let tail: Vec<&str> = text.lines().rev().take(3).collect();
        return Err(RunError::Failed {
            allocator,
            status: describe_status(status),
            stderr_tail: tail.into_iter().rev().collect::<Vec<_>>().join(" | "),
        });
    }
    if allocator != Allocator::System
        && allocations(&written, allocator, pid).is_none_or(|n| n == 0)
    {
        return Err(RunError::NoEvidence {
            allocator,
            library: library.to_owned(),
            seen: written.lines().take(3).collect::<Vec<_>>().join(" | "),
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
// ANCHOR_END: run_once

/// The allocation count that process `pid` wrote as evidence for `allocator`, from the lines
/// "<allocator> <pid> <allocations>" (its children write lines of their own).
pub fn allocations(evidence: &str, allocator: Allocator, pid: u32) -> Option<u64> {
    evidence.lines().find_map(|line| {
        let mut fields = line.split(' ');
        let (name, from, count) = (fields.next()?, fields.next()?, fields.next()?);
        (name == allocator.name() && from.parse() == Ok(pid) && fields.next().is_none())
            .then(|| count.parse().ok())
            .flatten()
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

/// The progress line the runner rewrites on stderr after each run: a bar of 30 cells.
pub fn progress(done: usize, total: usize) -> String {
    const CELLS: usize = 30;
    let filled = (done * CELLS)
        .checked_div(total)
        .unwrap_or(CELLS)
        .min(CELLS);
    format!(
        "allocator-try: [{}{}] {done}/{total} runs",
        "#".repeat(filled),
        ".".repeat(CELLS - filled)
    )
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

/// One allocator's line of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub allocator: Allocator,
    pub runs: usize,
    /// Median wall time, in seconds.
    pub median_wall: f64,
    /// Median peak RSS, in KiB.
    pub median_rss_kib: f64,
    /// System's median time over this allocator's, its 95% interval, and what they let us say;
    /// `None` for System, or when the runs are not paired by round.
    pub versus_system: Option<(f64, stats::Interval, String)>,
}

// ANCHOR: report
/// Per allocator, the median wall time and peak RSS, and System's time over the
/// allocator's, with its 95% bootstrap interval (paired by round) and what it lets
/// us say.
pub fn rows(samples: &[Sample]) -> Vec<Row> {
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
    let mut rows = Vec::new();
    for allocator in Allocator::ALL {
        let runs = of(allocator);
        if runs.is_empty() {
            continue;
        }
        let rss: Vec<f64> = runs.iter().map(|s| s.max_rss_kib as f64).collect();
        let paired = allocator != Allocator::System && runs.len() == system.len();
        let versus_system = paired.then(|| {
            let (top, bottom) = (walls(&system), walls(&runs));
            let interval = stats::bootstrap_ratio(&top, &bottom, SEED);
            let finding = stats::finding(interval).describe(allocator.name());
            (stats::ratio_of_medians(&top, &bottom), interval, finding)
        });
        rows.push(Row {
            allocator,
            runs: runs.len(),
            median_wall: stats::median(&walls(&runs)),
            median_rss_kib: stats::median(&rss),
            versus_system,
        });
    }
    rows
}
// ANCHOR_END: report

/// The summary table of [`rows`].
pub fn report(samples: &[Sample]) -> String {
    let mut table = format!(
        "{:<9} {:>5} {:>12} {:>10} {:>10}  {}\n",
        "allocator", "runs", "median wall", "peak RSS", "System/it", "95% interval"
    );
    for row in rows(samples) {
        let (ratio, interval) = match &row.versus_system {
            None => ("-".to_owned(), "-".to_owned()),
            Some((ratio, interval, finding)) => (
                format!("{ratio:.3}"),
                format!("{:.3}-{:.3} ({finding})", interval.low, interval.high),
            ),
        };
        table.push_str(&format!(
            "{:<9} {:>5} {:>10.1}ms {:>7.1}MiB {:>10}  {}\n",
            row.allocator.name(),
            row.runs,
            row.median_wall * 1000.0,
            row.median_rss_kib / 1024.0,
            ratio,
            interval
        ));
    }
    table
}

/// [`rows`] as a JSON array, for scripts: `versus_system` is null for System.
pub fn rows_json(samples: &[Sample]) -> String {
    let rows: Vec<String> = rows(samples)
        .iter()
        .map(|row| {
            let versus = row.versus_system.as_ref().map_or(
                "null".to_owned(),
                |(ratio, interval, finding)| {
                    format!(
                        "{{\"ratio\":{ratio},\"low\":{},\"high\":{},\"finding\":{}}}",
                        interval.low,
                        interval.high,
                        allocator_inspect::json_string(finding)
                    )
                },
            );
            format!(
                "{{\"allocator\":\"{}\",\"runs\":{},\"median_wall_s\":{},\
                 \"median_max_rss_kib\":{},\"versus_system\":{versus}}}",
                row.allocator.name(),
                row.runs,
                row.median_wall,
                row.median_rss_kib
            )
        })
        .collect();
    format!("[{}]", rows.join(","))
}

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
    fn the_progress_bar_fills_with_the_runs() {
        assert_eq!(
            progress(0, 30),
            format!("allocator-try: [{}] 0/30 runs", ".".repeat(30))
        );
        assert_eq!(
            progress(15, 30),
            format!(
                "allocator-try: [{}{}] 15/30 runs",
                "#".repeat(15),
                ".".repeat(15)
            )
        );
        assert_eq!(progress(30, 30).matches('#').count(), 30);
    }

    #[test]
    fn samples_survive_csv() {
        let samples = vec![
            sample(0, Allocator::System, 0.25),
            sample(0, Allocator::Mimalloc, 0.125),
        ];
        assert_eq!(from_csv(&to_csv(&samples)), Ok(samples));
        assert!(
            from_csv("header\n1,tcmalloc,0.1,3\n").is_err(),
            "expected an unknown allocator (tcmalloc) in the CSV to be refused, it was read"
        );
    }

    #[test]
    fn evidence_counts_only_the_line_of_the_process_and_allocator_asked_for() {
        let text = "jemalloc 41 7\njemalloc 42 1234\nmimalloc 43 9\n";
        assert_eq!(allocations(text, Allocator::Jemalloc, 42), Some(1234));
        assert_eq!(allocations(text, Allocator::Mimalloc, 42), None);
        assert_eq!(
            allocations("jemalloc 42 12 x\n", Allocator::Jemalloc, 42),
            None
        );
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
