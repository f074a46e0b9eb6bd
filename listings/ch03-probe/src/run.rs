//! The test side: run a binary that prints readings and parse them.

use std::ffi::OsStr;
use std::process::Command;

use crate::reading::{Reading, Verdict, parse_all};

/// Runs `program` with `args`, checks that it succeeded and returns the readings it printed.
/// Panics with the program's stderr when it fails or prints no reading.
pub fn readings_of(program: impl AsRef<OsStr>, args: &[&str]) -> Vec<Reading> {
    readings_with_env(program, args, &[])
}

/// Like [`readings_of`], with extra environment variables (`_RJEM_MALLOC_CONF`, `GLIBC_TUNABLES`).
pub fn readings_with_env(
    program: impl AsRef<OsStr>,
    args: &[&str],
    env: &[(&str, &str)],
) -> Vec<Reading> {
    let program = program.as_ref();
    let output = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|err| panic!("cannot run {program:?}: {err}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{program:?} {args:?} failed with {}:\n{stderr}",
        output.status
    );
    let readings =
        parse_all(&stdout).unwrap_or_else(|err| panic!("{program:?} printed a bad reading: {err}"));
    assert!(
        !readings.is_empty(),
        "{program:?} printed no reading:\n{stdout}{stderr}"
    );
    readings
}

/// Runs a probe binary with its default sizes and checks it measured exactly `sizes`.
pub fn default_readings(program: impl AsRef<OsStr>, sizes: &[u64]) -> Vec<Reading> {
    let program = program.as_ref();
    let readings = readings_of(program, &[]);
    let measured: Vec<u64> = readings.iter().map(|r| r.size).collect();
    assert_eq!(
        measured, sizes,
        "{program:?} measured other sizes than expected"
    );
    readings
}

/// Runs `program` with `sizes` as its arguments and checks that it measured exactly those sizes,
/// in order.
pub fn readings_for(program: impl AsRef<OsStr>, sizes: &[usize]) -> Vec<Reading> {
    let program = program.as_ref();
    let args: Vec<String> = sizes.iter().map(usize::to_string).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let readings = readings_of(program, &args);
    let measured: Vec<u64> = readings.iter().map(|r| r.size).collect();
    let asked: Vec<u64> = sizes.iter().map(|&size| size as u64).collect();
    assert_eq!(
        measured, asked,
        "{program:?} measured other sizes than it was given"
    );
    readings
}

/// Asserts both sides of "glibc served this batch", then the verdict: glibc's bytes in use grew
/// by at least one block and at least half the batch (its thread cache can hide a few blocks),
/// jemalloc's thread counter did not move and jemalloc does not own the first block.
/// Panics with the reading when any part fails.
pub fn assert_glibc_served(r: &Reading) {
    let grew = r
        .glibc
        .expect("a glibc reading (this needs Linux with glibc)");
    assert!(
        grew >= r.size as i64 && grew >= (r.requested() / 2) as i64,
        "glibc grew by {grew} B only, for a batch of {} B: {r}",
        r.requested()
    );
    assert_eq!(
        r.jemalloc_thread,
        Some(0),
        "jemalloc's thread counter moved: {r}"
    );
    assert_eq!(r.jemalloc_owns, Some(false), "jemalloc owns the block: {r}");
    assert_eq!(r.verdict(), Verdict::System, "{r}");
}

/// Asserts both sides of "jemalloc served this batch", then the verdict: jemalloc's thread counter
/// grew by at least the whole batch and jemalloc owns the first block, while glibc's bytes in use
/// grew by less than one block. Panics with the reading when any part fails.
pub fn assert_jemalloc_served(r: &Reading) {
    let thread = r.jemalloc_thread.expect("a jemalloc reading");
    assert!(
        thread >= r.requested(),
        "jemalloc's thread counter grew by {thread} B only, for a batch of {} B: {r}",
        r.requested()
    );
    assert_eq!(
        r.jemalloc_owns,
        Some(true),
        "jemalloc does not own the block: {r}"
    );
    let glibc = r
        .glibc
        .expect("a glibc reading (this needs Linux with glibc)");
    assert!(glibc < r.size as i64, "glibc grew by {glibc} B: {r}");
    assert_eq!(r.verdict(), Verdict::Jemalloc, "{r}");
}
