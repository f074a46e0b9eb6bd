//! `cargo run --locked -p book-harness --bin check-msvc`: type-checks the root workspace, the
//! separate workspaces and the copied-out templates for Windows with MSVC
//! (`book_harness::msvc`), and fails when any check fails. `.ci/run` runs it.

use std::process::ExitCode;

use book_harness::msvc;

fn main() -> ExitCode {
    if let Err(problem) = msvc::require_target() {
        eprintln!("check-msvc: {problem}");
        return ExitCode::FAILURE;
    }
    let outcomes = msvc::check_all();
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|outcome| !outcome.passed())
        .map(|outcome| outcome.what.as_str())
        .collect();
    let skipped = outcomes
        .iter()
        .filter(|outcome| outcome.run.is_none())
        .count();
    if failed.is_empty() {
        eprintln!(
            "check-msvc: {} checks passed for {}, {skipped} skipped with the reasons above",
            outcomes.len() - skipped,
            msvc::TARGET
        );
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "check-msvc: {} of {} checks failed for {} (cargo's output is above): {}",
            failed.len(),
            outcomes.len() - skipped,
            msvc::TARGET,
            failed.join(", ")
        );
        ExitCode::FAILURE
    }
}
