//! The whole suite, as the one command runs it, on a tiny scale: two runs of 3 rounds
//! of one repetition of every workload on every allocator (debug builds), the RSS
//! workload on 16 MiB, then every report and plot, written to a temporary directory.
//! The runner checks after every sample that the worker was served by its own
//! allocator, so a pass also means no sample came from the wrong one.

use std::path::PathBuf;

use ch14_benchmarks::Allocator;
use ch14_benchmarks::results::{RUNS, Results, WARM_UP_ROUNDS, run_dir};
use ch14_benchmarks::suite::{self, Config};
use ch14_benchmarks::workloads::WORKLOADS;

#[test]
fn every_workload_runs_on_every_allocator_and_every_report_is_written() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ch14-smoke");
    let _ = std::fs::remove_dir_all(&dir);
    let config = Config::smoke(&dir);
    let written = suite::run(&config, &ch14_benchmarks::binaries!())
        .unwrap_or_else(|err| panic!("{err}"));

    for run in 1..=RUNS {
        let results = Results::read_raw(&run_dir(&config.results_dir, run))
            .expect("the raw results read back");
        check_run(&results, config.rounds, run);
    }
    check_reports(&config, &written);
}

fn check_run(results: &Results, rounds: usize, run: usize) {
    for workload in WORKLOADS {
        for allocator in Allocator::ALL {
            let kept = results.kept(workload.name, allocator);
            assert_eq!(
                kept.len(),
                rounds - WARM_UP_ROUNDS,
                "run {run}, {} {allocator:?}: expected one sample per kept round, saw {kept:?}",
                workload.name
            );
            assert!(
                kept.iter().all(|ns| *ns > 0.0),
                "run {run}, {} {allocator:?}: expected every time above 0, saw {kept:?}",
                workload.name
            );
        }
    }
    for allocator in Allocator::ALL {
        let phases: Vec<&str> = results
            .rss
            .iter()
            .filter(|r| r.allocator == allocator)
            .map(|r| r.phase.as_str())
            .collect();
        assert_eq!(
            phases,
            ["peak", "freed", "freed", "released"],
            "run {run}, {allocator:?}: the RSS phases"
        );
    }
    assert_eq!(results.env("mode"), "smoke", "run {run}: the mode recorded");
    assert_eq!(
        results.env("run"),
        run.to_string(),
        "run {run}: the run recorded"
    );
}

fn check_reports(config: &Config, written: &[PathBuf]) {
    for run in 1..=RUNS {
        for name in ["environment.csv", "samples.csv", "rss.csv", "sizes.csv"] {
            let path = run_dir(&config.results_dir, run).join(name);
            assert!(written.contains(&path), "{} not written", path.display());
        }
    }

    for name in [
        "summary.csv",
        "ratios.md",
        "medians.md",
        "rss.md",
        "sizes.md",
        "environment.md",
    ] {
        assert!(
            written.contains(&config.results_dir.join(name)),
            "{name} not written; written: {written:?}"
        );
    }
    let ratios = std::fs::read_to_string(config.results_dir.join("ratios.md"))
        .expect("ratios.md");
    for workload in WORKLOADS {
        assert!(
            ratios.contains(&format!("| `{}` |", workload.name)),
            "{} missing:\n{ratios}",
            workload.name
        );
    }
    for plot in ["ch14-ratios.svg", "ch14-ratios-narrow.svg", "ch14-rss.svg"] {
        let svg = std::fs::read_to_string(config.img_dir.join(plot))
            .expect("the plot was written");
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{plot} is not an SVG document"
        );
        assert!(svg.contains("<text"), "{plot} has no labels");
    }
}
