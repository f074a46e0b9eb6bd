//! The results the chapter shows are the committed run's: every table and plot is derived again
//! from the committed raw samples and must match byte for byte, so no number in the book can drift
//! from the data. A re-run (`cargo bench ...`) rewrites all of them together.

use std::path::{Path, PathBuf};

use ch14_benchmarks::report::{self, Results};

fn results_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("results")
}

fn img_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src/img")
}

fn committed() -> Results {
    Results::read_raw(&results_dir()).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn the_committed_tables_and_plots_come_from_the_committed_samples() {
    let rendered = report::render(&committed()).unwrap_or_else(|err| panic!("{err}"));
    for (dir, files) in [
        (results_dir(), &rendered.results),
        (img_dir(), &rendered.images),
    ] {
        for (name, derived) in files {
            let path = dir.join(name);
            let on_disk = std::fs::read_to_string(&path)
                .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
            assert!(
                &on_disk == derived,
                "{} is not what the committed samples give; re-run the suite (or restore the file)",
                path.display()
            );
        }
    }
}

#[test]
fn the_committed_run_is_a_full_run_with_its_environment_recorded() {
    let results = committed();
    assert_eq!(results.env("mode"), "full");
    assert_eq!(results.env("rounds"), "41");
    assert_eq!(results.env("profile"), "release");
    for key in [
        "cpu",
        "cores",
        "kernel",
        "transparent_hugepage",
        "glibc",
        "jemalloc",
        "mimalloc",
        "MALLOC_CONF",
        "_RJEM_MALLOC_CONF",
        "load_average_before",
        "load_average_after",
    ] {
        assert!(
            !results.env(key).is_empty(),
            "the environment record lacks {key}"
        );
    }
}
