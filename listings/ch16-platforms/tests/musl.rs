//! `System` on musl: the same program built for glibc and for musl (x86_64), read and timed.
// Linux x86_64 with glibc only: it builds the same program for x86_64 glibc and musl and compares.
#![cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use book_harness::rustc;
use ch03_probe::symbols::{ArtifactSymbols, Presence};

const MUSL: &str = "x86_64-unknown-linux-musl";
const CHURN: &str = "listings/ch16-platforms/fixtures/churn.rs";

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

/// The fastest of three runs of `program` with `threads` threads, in microseconds.
fn best_time(program: &PathBuf, threads: usize) -> u64 {
    (0..3)
        .map(|_| {
            let output = Command::new(program)
                .arg(threads.to_string())
                .output()
                .unwrap_or_else(|err| panic!("cannot run {}: {err}", program.display()));
            assert!(output.status.success(), "{} failed", program.display());
            let stdout = String::from_utf8_lossy(&output.stdout);
            stdout
                .trim()
                .rsplit_once("elapsed_us=")
                .and_then(|(_, micros)| micros.parse().ok())
                .unwrap_or_else(|| panic!("no elapsed_us= in `{stdout}`"))
        })
        .min()
        .expect("three runs")
}

#[test]
fn the_same_churn_takes_at_least_three_times_as_long_on_musl() {
    let (glibc, musl) = builds();
    for threads in [1, 2] {
        let (glibc_us, musl_us) = (best_time(glibc, threads), best_time(musl, threads));
        println!("{threads} thread(s): glibc {glibc_us} us, musl {musl_us} us");
        assert!(
            musl_us >= 3 * glibc_us,
            "{threads} thread(s): musl took {musl_us} us, glibc {glibc_us} us"
        );
    }
}
