//! One worker process under `strace -f -c`: its `futex` calls, read from strace's
//! summary.

use std::path::Path;

use crate::Allocator;
use crate::workers::{reading, run_worker_with};

/// What `strace -c` counted for one worker process.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Count {
    /// Blocks the job handed over or allocated.
    pub ops: u64,
    /// `futex` calls of every thread, and how many of them returned an error (`EAGAIN`:
    /// the value had changed before the thread could sleep).
    pub calls: u64,
    pub errors: u64,
}

impl Count {
    /// Calls per 1,000 blocks.
    pub fn per_1000(&self) -> f64 {
        self.calls as f64 * 1000.0 / self.ops.max(1) as f64
    }
}

/// The `futex` line of an `strace -c` summary: `calls` and `errors` (0 when the column
/// is empty); no line means no call.
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

/// Runs `worker` with `args` under `strace` (the program at `strace`), counting `futex`
/// calls of every thread; the summary goes to `summary_file`.
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
