//! `System` on musl: the same program built for glibc and for musl (x86_64), read and timed.
// Linux x86_64 with glibc only: it builds the same program for x86_64 glibc and musl and compares.
#![cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use book_harness::rustc;
use ch03_probe::symbols::{ArtifactSymbols, Presence};

const MUSL: &str = "x86_64-unknown-linux-musl";
const CHURN: &str = "listings/ch16-platforms/01-platforms/programs/churn.rs";

/// `(glibc build, musl build)` of the churn program, optimised, built once.
fn builds() -> &'static (PathBuf, PathBuf) {
    static BUILDS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    BUILDS.get_or_init(|| {
        rustc::require_target(MUSL);
        (
            rustc::compile(CHURN, "churn-glibc", &["-O"]),
            rustc::compile(CHURN, "churn-musl", &["-O", "--target", MUSL]),
        )
    })
}

fn symbols_of(path: &PathBuf) -> ArtifactSymbols {
    ArtifactSymbols::read(path).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn the_musl_build_carries_musls_malloc_inside() {
    let (glibc, musl) = builds();
    // Linked against glibc, the program imports malloc from libc.so.6 ...
    assert_eq!(symbols_of(glibc).presence("malloc"), Presence::Imported);
    // ... built for musl, it is statically linked and musl's malloc is inside it.
    assert_eq!(symbols_of(musl).presence("malloc"), Presence::Defined);
}

/// One run of `program` with `threads` threads: the time it reports, in microseconds.
fn run_time(program: &PathBuf, threads: usize) -> u64 {
    let output = Command::new(program)
        .arg(threads.to_string())
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", program.display()));
    assert!(
        output.status.success(),
        "{} exited with {}",
        program.display(),
        output.status
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .trim()
        .rsplit_once("elapsed_us=")
        .and_then(|(_, micros)| micros.parse().ok())
        .unwrap_or_else(|| panic!("expected `elapsed_us=<n>` in the output, got `{stdout}`"))
}

/// Runs the two builds in turn, `rounds` times, so that a load on the machine falls on both alike,
/// and returns the median of the per-round ratios musl/glibc with every round's timings.
fn median_ratio(glibc: &PathBuf, musl: &PathBuf, threads: usize, rounds: usize) -> (f64, String) {
    let mut ratios = Vec::with_capacity(rounds);
    let mut seen = String::new();
    for _ in 0..rounds {
        let (glibc_us, musl_us) = (run_time(glibc, threads), run_time(musl, threads));
        ratios.push(musl_us as f64 / glibc_us.max(1) as f64);
        seen.push_str(&format!(" glibc {glibc_us} us / musl {musl_us} us;"));
    }
    ratios.sort_by(f64::total_cmp);
    (ratios[rounds / 2], seen)
}

#[test]
fn timing_the_same_churn_takes_at_least_three_times_as_long_on_musl() {
    let (glibc, musl) = builds();
    for threads in [1, 2] {
        let (ratio, seen) = median_ratio(glibc, musl, threads, 5);
        println!("{threads} thread(s): median musl/glibc {ratio:.1} from{seen}");
        assert!(
            ratio >= 3.0,
            "{threads} thread(s): expected musl to take at least 3 times as long as glibc, \
             measured a median ratio of {ratio:.2} over 5 interleaved rounds:{seen}"
        );
    }
}
