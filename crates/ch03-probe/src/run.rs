//! The test side: run a binary that prints readings and parse them.

use std::ffi::OsStr;
use std::process::Command;

use crate::reading::{Reading, Verdict, parse_all};

/// Runs `program` with `args`, checks that it succeeded and returns the readings it printed.
/// Panics with the program's stderr when it fails or prints no reading.
///
/// ```
/// use ch03_probe::Reading;
///
/// // A reading glibc served, and a program that prints it: `sh -c 'echo ...'`.
/// let reading = Reading {
///     size: 100,
///     count: 64,
///     counted: None,
///     glibc: Some(7168),
///     jemalloc_thread: Some(0),
///     jemalloc_stats: Some(0),
///     jemalloc_owns: Some(false),
/// };
/// let script = format!("echo 'a header'; echo '{reading}'");
/// let readings = ch03_probe::run::readings_of("sh", &["-c", &script]);
/// assert_eq!(readings, [reading]);
/// ```
pub fn readings_of(program: impl AsRef<OsStr>, args: &[&str]) -> Vec<Reading> {
    readings_with_env(program, args, &[])
}

/// Like [`readings_of`], with extra environment variables (`_RJEM_MALLOC_CONF`, `GLIBC_TUNABLES`).
///
/// ```
/// use ch03_probe::Reading;
///
/// // A reading glibc served, and a program that prints it: `sh -c 'echo ...'`.
/// let reading = Reading {
///     size: 100,
///     count: 64,
///     counted: None,
///     glibc: Some(7168),
///     jemalloc_thread: Some(0),
///     jemalloc_stats: Some(0),
///     jemalloc_owns: Some(false),
/// };
/// let line = reading.to_string();
/// let readings =
///     ch03_probe::run::readings_with_env("sh", &["-c", "echo \"$LINE\""], &[("LINE", &line)]);
/// assert_eq!(readings, [reading]);
/// ```
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
///
/// ```
/// use ch03_probe::Reading;
///
/// // A reading glibc served, and a program that prints it: `sh -c 'echo ...'`.
/// let reading = Reading {
///     size: 100,
///     count: 64,
///     counted: None,
///     glibc: Some(7168),
///     jemalloc_thread: Some(0),
///     jemalloc_stats: Some(0),
///     jemalloc_owns: Some(false),
/// };
/// // A program that prints the reading for 100 B when it is given no size.
/// let dir = std::env::temp_dir().join(format!("default-readings-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).expect("a writable temporary directory");
/// let program = dir.join("probe-default");
/// std::fs::write(&program, format!("#!/bin/sh\n[ $# = 0 ] && echo '{reading}'\n"))
///     .expect("a writable temporary file");
/// std::process::Command::new("chmod").arg("+x").arg(&program).status().expect("chmod");
/// let readings = ch03_probe::run::default_readings(&program, &[100]);
/// assert_eq!(readings, [reading]);
/// # std::fs::remove_dir_all(&dir).ok();
/// ```
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
///
/// ```
/// use ch03_probe::Reading;
///
/// // A reading glibc served, and a program that prints it: `sh -c 'echo ...'`.
/// let reading = Reading {
///     size: 100,
///     count: 64,
///     counted: None,
///     glibc: Some(7168),
///     jemalloc_thread: Some(0),
///     jemalloc_stats: Some(0),
///     jemalloc_owns: Some(false),
/// };
/// // A program that prints the reading for the size it is given, as probe binaries do.
/// let dir = std::env::temp_dir().join(format!("readings-for-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).expect("a writable temporary directory");
/// let program = dir.join("probe-100");
/// std::fs::write(&program, format!("#!/bin/sh\n[ \"$1\" = 100 ] && echo '{reading}'\n"))
///     .expect("a writable temporary file");
/// std::process::Command::new("chmod").arg("+x").arg(&program).status().expect("chmod");
/// let readings = ch03_probe::run::readings_for(&program, &[100]);
/// assert_eq!(readings, [reading]);
/// # std::fs::remove_dir_all(&dir).ok();
/// ```
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

/// For a program whose glibc side cannot be read (a build for musl, a build run under an emulator):
/// parses its readings from `output`, asserts there are `count` of them and that each gives the
/// verdict `expected`, and returns them. Where glibc can be read, prefer [`assert_served_by`],
/// which spells out both sides.
///
/// ```
/// use ch03_probe::Reading;
///
/// // A reading glibc served, and a program that prints it: `sh -c 'echo ...'`.
/// let reading = Reading {
///     size: 100,
///     count: 64,
///     counted: None,
///     glibc: Some(7168),
///     jemalloc_thread: Some(0),
///     jemalloc_stats: Some(0),
///     jemalloc_owns: Some(false),
/// };
/// use ch03_probe::{Verdict, run::assert_every_verdict};
///
/// let output = format!("{reading}\n{reading}\n");
/// let readings = assert_every_verdict(&output, 2, Verdict::System);
/// assert_eq!(readings.len(), 2);
/// let wrong = std::panic::catch_unwind(|| assert_every_verdict(&output, 2, Verdict::Jemalloc));
/// assert!(wrong.is_err(), "System's readings are not jemalloc's");
/// ```
pub fn assert_every_verdict(output: &str, count: usize, expected: Verdict) -> Vec<Reading> {
    let readings = crate::reading::parse_all(output).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        readings.len(),
        count,
        "expected {count} readings, one per size, in:\n{output}"
    );
    for reading in &readings {
        assert_eq!(
            reading.verdict(),
            expected,
            "expected {expected} to serve every batch: {reading}"
        );
    }
    readings
}

/// Asserts both sides of "glibc served this batch": [`assert_served_by`] with `System`.
///
/// ```
/// use ch03_probe::Reading;
///
/// // A reading glibc served, and a program that prints it: `sh -c 'echo ...'`.
/// let reading = Reading {
///     size: 100,
///     count: 64,
///     counted: None,
///     glibc: Some(7168),
///     jemalloc_thread: Some(0),
///     jemalloc_stats: Some(0),
///     jemalloc_owns: Some(false),
/// };
/// ch03_probe::run::assert_glibc_served(&reading);
/// let hidden = Reading { glibc: Some(64), ..reading };
/// let err = std::panic::catch_unwind(|| ch03_probe::run::assert_glibc_served(&hidden));
/// assert!(err.is_err(), "64 B is less than one block of 100 B");
/// ```
pub fn assert_glibc_served(r: &Reading) {
    assert_served_by(r, Verdict::System);
}

/// Asserts both sides of "jemalloc served this batch": [`assert_served_by`] with `Jemalloc`.
///
/// ```
/// use ch03_probe::Reading;
///
/// // A reading glibc served, and a program that prints it: `sh -c 'echo ...'`.
/// let reading = Reading {
///     size: 100,
///     count: 64,
///     counted: None,
///     glibc: Some(7168),
///     jemalloc_thread: Some(0),
///     jemalloc_stats: Some(0),
///     jemalloc_owns: Some(false),
/// };
/// let on_jemalloc = Reading {
///     glibc: Some(0),
///     jemalloc_thread: Some(7168),
///     jemalloc_owns: Some(true),
///     ..reading
/// };
/// ch03_probe::run::assert_jemalloc_served(&on_jemalloc);
/// let not_owned = Reading { jemalloc_owns: Some(false), ..on_jemalloc };
/// let err = std::panic::catch_unwind(|| ch03_probe::run::assert_jemalloc_served(&not_owned));
/// assert!(err.is_err(), "jemalloc must claim the first block");
/// ```
pub fn assert_jemalloc_served(r: &Reading) {
    assert_served_by(r, Verdict::Jemalloc);
}

/// Asserts that `reading` shows `expected` serving the batch, both sides spelled out: the serving
/// allocator's counters grew by the batch (glibc by at least half of it, since its thread cache
/// can hide 7 blocks of 64; jemalloc's thread counter by all of it, and `arenas.lookup` claims the
/// first block), and the other allocator's did not (glibc by less than one block; jemalloc by
/// nothing, and it does not claim the block). Then the verdict must agree. Panics with the
/// reading when any of these fails.
///
/// ```
/// use ch03_probe::Reading;
///
/// // A reading glibc served, and a program that prints it: `sh -c 'echo ...'`.
/// let reading = Reading {
///     size: 100,
///     count: 64,
///     counted: None,
///     glibc: Some(7168),
///     jemalloc_thread: Some(0),
///     jemalloc_stats: Some(0),
///     jemalloc_owns: Some(false),
/// };
/// use ch03_probe::{Verdict, run::assert_served_by};
///
/// assert_served_by(&reading, Verdict::System);
/// let err = std::panic::catch_unwind(|| assert_served_by(&reading, Verdict::Jemalloc));
/// assert!(err.is_err(), "a batch glibc served is not jemalloc's");
/// ```
pub fn assert_served_by(reading: &Reading, expected: Verdict) {
    let r = reading;
    let glibc = r
        .glibc
        .expect("a glibc reading (this check runs on linux-gnu only)");
    let jemalloc = r.jemalloc_thread.unwrap_or(0);
    let owns = r.jemalloc_owns == Some(true);
    match expected {
        Verdict::System => {
            assert!(
                glibc >= r.size as i64 && glibc >= (r.requested() / 2) as i64,
                "glibc grew by {glibc} B, less than one block or half the batch: {r}"
            );
            assert_eq!(jemalloc, 0, "jemalloc's thread counter moved: {r}");
            assert!(!owns, "jemalloc claims a block glibc should own: {r}");
        }
        Verdict::Jemalloc => {
            assert!(
                jemalloc >= r.requested(),
                "jemalloc's thread counter grew by {jemalloc} B, less than the batch: {r}"
            );
            assert!(owns, "jemalloc does not know the first block: {r}");
            assert!(
                glibc < r.size as i64,
                "glibc grew by {glibc} B, at least one block: {r}"
            );
        }
        Verdict::Unknown => panic!("assert_served_by needs System or Jemalloc, not Unknown"),
    }
    assert_eq!(r.verdict(), expected, "{r}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn system_reading() -> Reading {
        "verdict=System size=100 count=64 requested=6400 counted=n/a\n\
         glibc=7168 jemalloc_thread=0 jemalloc_owns=no jemalloc_stats=0"
            .parse()
            .expect("a valid reading")
    }

    #[test]
    fn a_reading_is_served_by_its_verdict_and_not_by_the_other() {
        assert_served_by(&system_reading(), Verdict::System);
        let wrong =
            std::panic::catch_unwind(|| assert_served_by(&system_reading(), Verdict::Jemalloc));
        let message = *wrong
            .expect_err("a System reading is not served by jemalloc")
            .downcast::<String>()
            .expect("a formatted message");
        assert!(
            message.contains("jemalloc's thread counter grew by 0 B"),
            "{message}"
        );
    }
}
