//! The one command that runs every benchmark and writes the results and plots:
//!
//! ```text
//! cargo bench --locked --manifest-path listings/ch14-benchmarks/Cargo.toml            # full, ~10 min
//! cargo bench --locked --manifest-path listings/ch14-benchmarks/Cargo.toml -- --quick # smoke run, < 1 min
//! ```
//!
//! Cargo builds the worker and minimal programs with release settings first and tells this program
//! where they are. A full run writes `results/` next to this crate and the plots into the book's
//! `src/img/`; `--quick` writes under Cargo's target directory instead and leaves both alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ch14_benchmarks::Allocator;
use ch14_benchmarks::suite::{self, Binaries, Config};

fn main() -> ExitCode {
    // `cargo bench` passes `--bench` to every benchmark program.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let quick = match args.as_slice() {
        [] => false,
        [flag] if flag == "--quick" => true,
        _ => {
            eprintln!(
                "usage: cargo bench --locked --manifest-path listings/ch14-benchmarks/Cargo.toml [-- --quick]"
            );
            return ExitCode::from(2);
        }
    };
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = if quick {
        Config::quick(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("ch14-quick"))
    } else {
        Config::full(here.join("results"), here.join("../../src/img"))
    };
    let path = |p: &str| PathBuf::from(p);
    let binaries = Binaries {
        workers: BTreeMap::from([
            (Allocator::System, path(env!("CARGO_BIN_EXE_bench-system"))),
            (
                Allocator::Jemalloc,
                path(env!("CARGO_BIN_EXE_bench-jemalloc")),
            ),
            (
                Allocator::Mimalloc,
                path(env!("CARGO_BIN_EXE_bench-mimalloc")),
            ),
        ]),
        minimal: BTreeMap::from([
            (Allocator::System, path(env!("CARGO_BIN_EXE_min-system"))),
            (
                Allocator::Jemalloc,
                path(env!("CARGO_BIN_EXE_min-jemalloc")),
            ),
            (
                Allocator::Mimalloc,
                path(env!("CARGO_BIN_EXE_min-mimalloc")),
            ),
        ]),
    };
    match suite::run(&config, &binaries) {
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
