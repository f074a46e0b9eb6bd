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

/// The summary row of `workload`.
fn row<'a>(rows: &'a [report::Row], workload: &str) -> &'a report::Row {
    rows.iter()
        .find(|r| r.workload == workload)
        .unwrap_or_else(|| panic!("no row for {workload}"))
}

// The statements chapter 14 makes about the committed numbers. If a re-run changes the picture,
// these fail, and the chapter's prose must change with the results.
#[test]
fn the_chapter_reads_the_committed_ratios_as_written() {
    use ch14_benchmarks::stats::Finding::{NoDifference, OtherFaster, SystemFaster};
    let rows = report::summarise(&committed()).unwrap_or_else(|err| panic!("{err}"));
    let jemalloc = |w: &str| row(&rows, w).jemalloc;
    let mimalloc = |w: &str| row(&rows, w).mimalloc;

    // "on it the three workers show no difference"
    assert_eq!(jemalloc("harness-overhead").finding, NoDifference);
    // "jemalloc is faster on every small-object workload, from a few percent ... to several times"
    let small = [
        "pairs-16B-1KiB",
        "object-churn",
        "producer-consumer-2t",
        "thread-local-2t",
        "thread-local-8t",
    ];
    for w in small {
        assert_eq!(jemalloc(w).finding, OtherFaster, "{w}");
    }
    // "System is faster on large blocks, on growing a vector to 64 MiB, and at start-up"
    for w in [
        "large-untouched",
        "large-touched",
        "vec-push-64MiB",
        "startup",
    ] {
        assert_eq!(jemalloc(w).finding, SystemFaster, "{w}");
    }
    // "mimalloc is ahead of System on object churn and on cross-thread frees, not measurably
    // different from it on the other small-object workloads, and far ahead of both on large
    // touched blocks"
    for w in ["object-churn", "producer-consumer-2t"] {
        assert_eq!(mimalloc(w).finding, OtherFaster, "{w}");
    }
    for w in ["pairs-16B-1KiB", "thread-local-2t", "thread-local-8t"] {
        assert!(
            mimalloc(w).interval.low <= 1.0 && mimalloc(w).interval.high >= 1.0,
            "{w}"
        );
    }
    assert!(mimalloc("large-touched").ratio > 2.0);

    // "Two workloads land outside the band": exactly these two.
    let outside: Vec<&str> = rows
        .iter()
        .filter(|r| r.in_band == Some(false))
        .map(|r| r.workload)
        .collect();
    assert_eq!(outside, ["producer-consumer-2t", "large-touched"]);
    // "System takes several times as long per block as jemalloc"
    assert!(jemalloc("producer-consumer-2t").ratio > 2.0);
    // "the workload where System's time per block grows most against the thread-local workloads"
    use ch14_benchmarks::Allocator;
    let growth = |a: Allocator| {
        row(&rows, "producer-consumer-2t").medians[&a] / row(&rows, "thread-local-2t").medians[&a]
    };
    assert!(growth(Allocator::System) > growth(Allocator::Jemalloc));
    assert!(growth(Allocator::System) > growth(Allocator::Mimalloc));
    // "System is several times faster than jemalloc" on large touched blocks
    assert!(jemalloc("large-touched").ratio < 0.5);
    // Pairs: "near the bottom of the 1.5-2.2 band"
    let pairs = row(&rows, "pairs-16B-1KiB");
    assert_eq!(pairs.in_band, Some(true));
    assert!(pairs.jemalloc.ratio < 1.85);
    // Large untouched blocks: "System is far ahead"
    assert!(jemalloc("large-untouched").ratio < 0.25);
    // "Growing to 4 KiB or 1 MiB, the three allocators stay within 10% of each other"
    for w in ["vec-push-4KiB", "vec-push-1MiB"] {
        for ratio in [jemalloc(w).ratio, mimalloc(w).ratio] {
            assert!((0.9..=1.1).contains(&ratio), "{w}: {ratio}");
        }
    }
    // Vec growth to 64 MiB: "System is faster than both"; the controls "are much closer together"
    assert_eq!(mimalloc("vec-push-64MiB").finding, SystemFaster);
    for (push, control) in [
        (jemalloc("vec-push-64MiB"), jemalloc("vec-capacity-64MiB")),
        (mimalloc("vec-push-64MiB"), mimalloc("vec-capacity-64MiB")),
    ] {
        assert!(control.ratio.ln().abs() < push.ratio.ln().abs());
    }
}

#[test]
fn the_chapter_reads_the_committed_memory_and_sizes_as_written() {
    use ch14_benchmarks::Allocator::{Jemalloc, Mimalloc, System};
    let results = committed();
    let bytes = |a, phase: &str| -> Vec<u64> {
        results
            .rss
            .iter()
            .filter(|r| r.allocator == a && r.phase == phase)
            .map(|r| r.bytes)
            .collect()
    };
    for a in [System, Jemalloc, Mimalloc] {
        // "None of the three gives anything back while the program sleeps, not even after 12 s."
        let freed = bytes(a, "freed");
        let (at_once, last) = (freed[0], freed[freed.len() - 1]);
        assert!(last as f64 >= 0.99 * at_once as f64, "{a:?}: {freed:?}");
        let last_reading = results
            .rss
            .iter()
            .rfind(|r| r.allocator == a && r.phase == "freed")
            .map(|r| r.after_ms / 1000);
        assert_eq!(
            last_reading,
            Some(12),
            "{a:?}: the last idle reading is 12 s after the free"
        );
    }
    // "Asked explicitly, glibc returns the most and mimalloc the least."
    let released = |a| bytes(a, "released")[0];
    assert!(released(System) < released(Jemalloc) && released(Jemalloc) < released(Mimalloc));

    // "Linking jemalloc makes the stripped binary several hundred KiB larger"
    let size = |a| {
        results
            .sizes
            .iter()
            .find(|(b, _)| *b == a)
            .map(|(_, s)| *s)
            .expect("a size per allocator")
    };
    assert!(size(Jemalloc) >= size(System) + 200 * 1024);
}
