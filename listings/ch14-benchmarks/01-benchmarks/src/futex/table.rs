//! The futex table: calls per 1,000 blocks, both runs side by side, from the raw
//! results alone.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::jobs::{ALLOCATORS, JOBS};
use super::raw::FutexResults;
use crate::csv::write;
use crate::markdown::md_code;

/// The table (`futex.md`) and the environment list, from the raw results alone.
pub fn render(results: &FutexResults) -> Result<Vec<(&'static str, String)>, String> {
    let mut table = String::from(
        "| workload | allocator | futex calls per 1,000 blocks, run 1 / run 2 |\n|---|---|--:|\n",
    );
    for (job, _) in JOBS {
        for allocator in ALLOCATORS {
            let value = |run| {
                results.per_1000(run, job, allocator).ok_or_else(|| {
                    format!("no samples for {job} on {} in run {run}", allocator.name())
                })
            };
            let _ = writeln!(
                table,
                "| {} | {} | {:.2} / {:.2} |",
                md_code(job),
                md_code(allocator.name()),
                value(1)?,
                value(2)?
            );
        }
    }
    let mut env = String::new();
    for (key, value) in &results.environment {
        let _ = writeln!(env, "- {}: {}", md_code(key), md_code(value));
    }
    Ok(vec![("futex.md", table), ("environment.md", env)])
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
