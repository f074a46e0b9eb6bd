//! The one command that runs every benchmark and writes the results and plots:
//!
//! ```text
//! cargo bench --locked --manifest-path
//! listings/ch14-benchmarks/01-benchmarks/Cargo.toml            # full: two runs, ~6
//! min cargo bench --locked --manifest-path
//! listings/ch14-benchmarks/01-benchmarks/Cargo.toml -- --quick # smoke run, < 1 min
//! cargo bench --locked --manifest-path
//! listings/ch14-benchmarks/01-benchmarks/Cargo.toml -- --memory # chapter 19
//! ```
//!
//! `--memory` runs chapter 19's memory-over-time settings instead (about 3 minutes;
//! with `--quick` under a minute, written under Cargo's target directory; with
//! `--render` from the committed samples). `--gap` measures chapter 14's
//! producer/consumer gap: two independent runs of about two minutes each (`--gap
//! --quick`: 3 rounds; `--gap --render`: from the committed samples). `--futex` counts
//! the gap's `futex` calls under `strace` (Debian package strace): two runs of 6
//! rounds, about a minute (`--futex --quick`: 2 rounds; `--futex --render`).
//!
//! Cargo builds the worker and minimal programs with release settings first and tells
//! this program where they are. A full run writes `results/` next to this crate and the
//! plots into the book's `src/img/`; `--quick` writes under Cargo's target directory
//! instead and leaves both alone; `--render` measures nothing and derives the tables
//! and plots again from the committed results.

use std::path::Path;
use std::process::ExitCode;

use ch14_benchmarks::futex::{self, FutexResults};
use ch14_benchmarks::gap::{self, GapResults};
use ch14_benchmarks::memory::{self, MemoryConfig, MemoryResults};
use ch14_benchmarks::results::read_runs;
use ch14_benchmarks::suite::{self, Config};

const USAGE: &str = "usage: cargo bench --locked --manifest-path listings/ch14-benchmarks/01-benchmarks/Cargo.toml [-- [--memory | --gap | --futex] [--quick | --render]]";

/// `strace`, which `--futex` runs each worker under, or why it cannot.
fn strace() -> Result<std::path::PathBuf, String> {
    book_harness::tools::find("strace", "strace").map_err(|missing| missing.to_string())
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench` to every benchmark program.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let full = Config::full(here.join("results"), here.join("../../../src/img"));
    let outcome = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => suite::run(&full, &ch14_benchmarks::binaries!()),
        ["--quick"] => {
            let quick = Config::quick(
                &Path::new(env!("CARGO_TARGET_TMPDIR")).join("ch14-quick"),
            );
            suite::run(&quick, &ch14_benchmarks::binaries!())
        }
        ["--memory"] => memory::run(
            &MemoryConfig::full(
                here.join("results/memory"),
                here.join("../../../src/img"),
            ),
            &ch14_benchmarks::binaries!(),
        ),
        ["--memory", "--quick"] => memory::run(
            &MemoryConfig::quick(
                &Path::new(env!("CARGO_TARGET_TMPDIR")).join("ch17-quick"),
            ),
            &ch14_benchmarks::binaries!(),
        ),
        ["--memory", "--render"] => {
            let config = MemoryConfig::full(
                here.join("results/memory"),
                here.join("../../../src/img"),
            );
            MemoryResults::read_raw(&config.results_dir)
                .and_then(|results| memory::render(&results))
                .and_then(|rendered| memory::write_rendered(&rendered, &config))
        }
        ["--gap"] => gap::run(
            &here.join("results/gap"),
            &ch14_benchmarks::binaries!(),
            gap::ROUNDS,
        ),
        ["--gap", "--quick"] => gap::run(
            &Path::new(env!("CARGO_TARGET_TMPDIR")).join("ch14-gap-quick"),
            &ch14_benchmarks::binaries!(),
            3,
        ),
        ["--gap", "--render"] => GapResults::read_raw(&here.join("results/gap"))
            .and_then(|results| gap::render(&results))
            .and_then(|files| gap::write_rendered(&here.join("results/gap"), &files)),
        ["--futex"] => strace().and_then(|strace| {
            futex::run(
                &here.join("results/futex"),
                &strace,
                &ch14_benchmarks::binaries!(),
                futex::ROUNDS,
            )
        }),
        ["--futex", "--quick"] => strace().and_then(|strace| {
            futex::run(
                &Path::new(env!("CARGO_TARGET_TMPDIR")).join("ch14-futex-quick"),
                &strace,
                &ch14_benchmarks::binaries!(),
                2,
            )
        }),
        ["--futex", "--render"] => FutexResults::read_raw(&here.join("results/futex"))
            .and_then(|results| futex::render(&results))
            .and_then(|files| {
                futex::write_rendered(&here.join("results/futex"), &files)
            }),
        // Derive the tables and plots again from the committed raw results, measuring
        // nothing.
        ["--render"] => {
            read_runs(&full.results_dir).and_then(|runs| suite::render(&runs, &full))
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(written) => {
            for path in written {
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("the benchmark run failed: {err}");
            ExitCode::FAILURE
        }
    }
}
