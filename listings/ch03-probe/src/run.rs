//! The test side: run a binary that prints readings and parse them.

use std::ffi::OsStr;
use std::process::Command;

use crate::reading::{Reading, parse_all};

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
