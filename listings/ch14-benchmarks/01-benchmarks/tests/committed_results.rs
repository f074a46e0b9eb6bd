//! The results the chapter shows are the committed run's: every table and plot is derived again
//! from the committed raw samples and must match byte for byte, so no number in the book can drift
//! from the data. A re-run (`cargo bench ...`) rewrites all of them together.

use std::path::{Path, PathBuf};

use ch14_benchmarks::bands::Origin;
use ch14_benchmarks::report::{self, Results};

fn results_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("results")
}

fn img_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../src/img")
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

/// Chapter 14's text, with every run of white space (line breaks included) made one space.
struct Chapter(String);

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Chapter {
    fn load() -> Chapter {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../src/ch14-benchmarks.md");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
        Chapter(one_line(&text))
    }

    /// Fails unless the chapter says `quote` word for word: the check that follows a quote tests
    /// that statement, so the prose and the check change together.
    fn says(&self, quote: &str) {
        assert!(
            self.0.contains(&one_line(quote)),
            "expected chapter 14 to say {quote:?}, as this test checks it against the committed \
             results; change the test with the prose"
        );
    }
}

// The statements chapter 14 makes about the committed numbers, each quoted from the chapter and
// then checked against the results. If a re-run changes the picture, these fail, and the prose
// must change with the results; if the prose changes, the quotes fail until the checks follow.
#[test]
fn the_chapter_reads_the_committed_ratios_as_written() {
    use ch14_benchmarks::Allocator;
    use ch14_benchmarks::stats::Finding::{NoDifference, OtherFaster, SystemFaster, Unresolved};
    let rows = report::summarise(&committed()).unwrap_or_else(|err| panic!("{err}"));
    let jemalloc = |w: &str| row(&rows, w).jemalloc;
    let mimalloc = |w: &str| row(&rows, w).mimalloc;
    let median = |w: &str, a: Allocator| row(&rows, w).medians[&a];
    let chapter = Chapter::load();

    // The control row, on every allocator.
    chapter.says("The harness costs under a nanosecond per pair.");
    for a in Allocator::ALL {
        let ns = median("harness-overhead", a);
        assert!(ns < 1.0, "{a:?}: expected under 1 ns per pair, saw {ns}");
    }
    chapter
        .says("On it, System and jemalloc show no difference: the interval lies within 2% of 1.");
    assert_eq!(jemalloc("harness-overhead").finding, NoDifference);
    chapter.says(
        "System and mimalloc are \"unresolved\": their interval reaches just past 2% below 1",
    );
    let control = mimalloc("harness-overhead");
    assert_eq!(control.finding, Unresolved, "{control:?}");
    assert!(
        (0.97..0.98).contains(&control.interval.low) && control.interval.high <= 1.02,
        "expected the System/mimalloc control interval to reach just below 0.98 and no further, \
         saw {:?}",
        control.interval
    );

    chapter.says(
        "jemalloc is faster on every small-object workload, from a few percent when the program \
         does other work between allocations to several times when threads hand blocks to each \
         other.",
    );
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
    assert!(jemalloc("object-churn").ratio < 1.2, "a few percent");
    assert!(
        jemalloc("producer-consumer-2t").ratio > 2.0,
        "several times"
    );

    chapter
        .says("System is faster on large blocks, on growing a vector to 64 MiB, and at start-up.");
    for w in [
        "large-untouched",
        "large-touched",
        "vec-push-64MiB",
        "startup",
    ] {
        assert_eq!(jemalloc(w).finding, SystemFaster, "{w}");
    }

    chapter.says(
        "mimalloc is ahead of System on object churn and on cross-thread frees, not measurably \
         different from it on the other small-object workloads, and far ahead of both on large \
         touched blocks.",
    );
    for w in ["object-churn", "producer-consumer-2t"] {
        assert_eq!(mimalloc(w).finding, OtherFaster, "{w}");
    }
    for w in ["pairs-16B-1KiB", "thread-local-2t", "thread-local-8t"] {
        let c = mimalloc(w);
        assert!(
            c.interval.low <= 1.0 && c.interval.high >= 1.0,
            "{w}: expected an interval around 1, saw {:?}",
            c.interval
        );
    }
    // "far ahead of both" here, and "mimalloc is several times faster than both" further down.
    chapter.says("That is why mimalloc is several times faster than both here.");
    let touched = |a| median("large-touched", a);
    assert!(
        touched(Allocator::System) > 2.0 * touched(Allocator::Mimalloc),
        "expected System over twice mimalloc's time on large-touched: {} vs {}",
        touched(Allocator::System),
        touched(Allocator::Mimalloc)
    );
    assert!(
        touched(Allocator::Jemalloc) > 2.0 * touched(Allocator::Mimalloc),
        "expected jemalloc over twice mimalloc's time on large-touched: {} vs {}",
        touched(Allocator::Jemalloc),
        touched(Allocator::Mimalloc)
    );

    chapter.says("Two workloads land outside their expected band.");
    let outside: Vec<&str> = rows
        .iter()
        .filter(|r| r.in_band == Some(false))
        .map(|r| r.workload)
        .collect();
    assert_eq!(outside, ["producer-consumer-2t", "large-touched"]);
    chapter.says("Only the object-churn band rests on published figures");
    let published: Vec<&str> = rows
        .iter()
        .filter(|r| r.band.is_some_and(|b| b.origin.kind() == "published"))
        .map(|r| r.workload)
        .collect();
    assert_eq!(published, ["object-churn"]);
    chapter.says("timed 1.04 and 1.13 times as long on glibc as on jemalloc in two reports.");
    let figures: Vec<String> = match row(&rows, "object-churn").band.map(|b| b.origin) {
        Some(Origin::Published(figures)) => {
            figures.iter().map(|f| format!("{:.2}", f.ratio)).collect()
        }
        other => panic!("expected object-churn's band to be published, saw {other:?}"),
    };
    assert_eq!(figures, ["1.04", "1.13"]);

    chapter.says(
        "On `producer-consumer-2t`, System takes several times as long per block as jemalloc, far \
         above the 0.9-1.4 band.",
    );
    let hand_over = row(&rows, "producer-consumer-2t");
    assert!(
        hand_over.jemalloc.ratio > 2.0,
        "expected System over twice jemalloc's time on producer-consumer-2t, saw a ratio of {:.2}",
        hand_over.jemalloc.ratio
    );
    assert_eq!(
        hand_over.band.map(|b| b.range.describe()),
        Some("0.9-1.4".to_owned())
    );
    chapter.says(
        "It is also the workload where System's time per block grows most against the \
         thread-local workloads",
    );
    let growth = |a: Allocator| median("producer-consumer-2t", a) / median("thread-local-2t", a);
    assert!(
        growth(Allocator::System) > growth(Allocator::Jemalloc),
        "expected System's growth {:.2} above jemalloc's {:.2}",
        growth(Allocator::System),
        growth(Allocator::Jemalloc)
    );
    assert!(
        growth(Allocator::System) > growth(Allocator::Mimalloc),
        "expected System's growth {:.2} above mimalloc's {:.2}",
        growth(Allocator::System),
        growth(Allocator::Mimalloc)
    );

    chapter.says(
        "On `large-touched`, System is several times faster than jemalloc, where the band expects \
         a tie.",
    );
    assert!(
        jemalloc("large-touched").ratio < 0.5,
        "expected System over twice as fast as jemalloc on large-touched, saw a ratio of {:.2}",
        jemalloc("large-touched").ratio
    );

    chapter.says("jemalloc is faster, near the bottom of the 1.5-2.2 band.");
    let pairs = row(&rows, "pairs-16B-1KiB");
    assert_eq!(
        pairs.band.map(|b| b.range.describe()),
        Some("1.5-2.2".to_owned())
    );
    assert_eq!(pairs.in_band, Some(true));
    assert!(
        pairs.jemalloc.ratio < 1.85,
        "expected jemalloc near the bottom of 1.5-2.2 (below 1.85), saw {:.2}",
        pairs.jemalloc.ratio
    );

    chapter.says("**Large untouched blocks.** System is far ahead, as expected");
    assert!(
        jemalloc("large-untouched").ratio < 0.25,
        "expected System over four times as fast on large-untouched, saw a ratio of {:.2}",
        jemalloc("large-untouched").ratio
    );

    chapter.says(
        "Growing to 4 KiB or 1 MiB, the three allocators stay within 10% of each other; growing to \
         64 MiB, System is faster than both.",
    );
    for w in ["vec-push-4KiB", "vec-push-1MiB"] {
        let times: Vec<f64> = Allocator::ALL.iter().map(|&a| median(w, a)).collect();
        let (fastest, slowest) = times
            .iter()
            .fold((f64::MAX, 0.0_f64), |(lo, hi), &t| (lo.min(t), hi.max(t)));
        assert!(
            slowest <= 1.1 * fastest,
            "{w}: expected the three within 10%, saw {times:?}"
        );
    }
    assert_eq!(jemalloc("vec-push-64MiB").finding, SystemFaster);
    assert_eq!(mimalloc("vec-push-64MiB").finding, SystemFaster);
    chapter.says(
        "the controls with `Vec::with_capacity`, which never reallocate, are much closer together.",
    );
    for (push, control) in [
        (jemalloc("vec-push-64MiB"), jemalloc("vec-capacity-64MiB")),
        (mimalloc("vec-push-64MiB"), mimalloc("vec-capacity-64MiB")),
    ] {
        assert!(
            control.ratio.ln().abs() < push.ratio.ln().abs(),
            "expected the control closer to 1 than the push: control {:.2}, push {:.2}",
            control.ratio,
            push.ratio
        );
    }

    chapter.says(
        "starting it, which includes jemalloc's initialisation on the first allocation, slightly \
         slower than System.",
    );
    let startup = jemalloc("startup");
    assert_eq!(startup.finding, SystemFaster);
    assert!(
        startup.ratio > 0.7,
        "expected jemalloc only slightly slower to start, saw a ratio of {:.2}",
        startup.ratio
    );
}

#[test]
fn the_chapter_reads_the_committed_memory_and_sizes_as_written() {
    use ch14_benchmarks::Allocator::{Jemalloc, Mimalloc, System};
    let results = committed();
    let chapter = Chapter::load();
    let bytes = |a, phase: &str| -> Vec<u64> {
        results
            .rss
            .iter()
            .filter(|r| r.allocator == a && r.phase == phase)
            .map(|r| r.bytes)
            .collect()
    };
    chapter.says(
        "None of the three gives anything back while the program sleeps, not even after 12 s.",
    );
    for a in [System, Jemalloc, Mimalloc] {
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
    chapter.says("Asked explicitly, glibc returns the most and mimalloc the least.");
    let released = |a| bytes(a, "released")[0];
    assert!(
        released(System) < released(Jemalloc) && released(Jemalloc) < released(Mimalloc),
        "expected System to release less than jemalloc, and jemalloc less than mimalloc: {} {} {}",
        released(System),
        released(Jemalloc),
        released(Mimalloc)
    );

    chapter.says("Linking jemalloc makes the stripped binary several hundred KiB larger");
    let size = |a| {
        results
            .sizes
            .iter()
            .find(|(b, _)| *b == a)
            .map(|(_, s)| *s)
            .expect("a size per allocator")
    };
    assert!(
        size(Jemalloc) >= size(System) + 200 * 1024,
        "expected jemalloc's binary at least 200 KiB larger than System's: {} vs {} bytes",
        size(Jemalloc),
        size(System)
    );
}
