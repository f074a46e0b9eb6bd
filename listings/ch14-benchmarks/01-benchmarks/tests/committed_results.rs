//! The results the chapter shows are the committed runs': every table and plot is
//! derived again from the committed raw samples of both runs and must match byte for
//! byte, so no number in the book can drift from the data. A re-run (`cargo bench ...`)
//! rewrites all of them together. Each statement the chapter makes must hold in both
//! runs.

use std::path::{Path, PathBuf};

use ch14_benchmarks::bands::Origin;
use ch14_benchmarks::report;
use ch14_benchmarks::results::{Results, read_runs};
use ch14_benchmarks::summary::{self, Agreement, Row};

fn results_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("results")
}

fn img_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../src/img")
}

fn committed() -> Vec<Results> {
    read_runs(&results_dir()).unwrap_or_else(|err| panic!("{err}"))
}

/// Each run's summary, run 1 first.
fn summaries() -> Vec<Vec<Row>> {
    summary::summarise_runs(&committed()).unwrap_or_else(|err| panic!("{err}"))
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
fn the_committed_runs_are_two_full_runs_with_their_environment_recorded() {
    let runs = committed();
    assert_eq!(
        runs.len(),
        2,
        "expected two committed runs, saw {}",
        runs.len()
    );
    for (i, results) in runs.iter().enumerate() {
        let run = i + 1;
        for (key, expected) in [
            ("mode", "full"),
            ("rounds", "41"),
            ("profile", "release"),
            ("run", &run.to_string()),
        ] {
            assert_eq!(
                results.env(key),
                expected,
                "run {run}: expected {key} = {expected} in its environment record"
            );
        }
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
            "seed",
        ] {
            assert!(
                !results.env(key).is_empty(),
                "run {run}: the environment record lacks {key}"
            );
        }
    }
    assert_ne!(
        runs[0].env("seed"),
        runs[1].env("seed"),
        "expected the two runs to shuffle their jobs with different seeds"
    );
}

/// The summary row of `workload`.
fn row<'a>(rows: &'a [Row], workload: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.workload == workload)
        .unwrap_or_else(|| panic!("no row for {workload}"))
}

/// Chapter 14's text, with every run of white space (line breaks included) made one
/// space.
struct Chapter(String);

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Chapter {
    fn load() -> Chapter {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../src/ch14-benchmarks.md");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
        Chapter(one_line(&text))
    }

    /// Fails unless the chapter says `quote` word for word: the check that follows a
    /// quote tests that statement, so the prose and the check change together.
    fn says(&self, quote: &str) {
        assert!(
            self.0.contains(&one_line(quote)),
            "expected chapter 14 to say {quote:?}, as this test checks it against the committed \
             results; change the test with the prose"
        );
    }
}

// The statements chapter 14 makes about the committed numbers, each quoted from the
// chapter and then checked against both runs. If a re-run changes the picture, these
// fail, and the prose must change with the results; if the prose changes, the quotes
// fail until the checks follow.
#[test]
fn the_chapter_reads_the_committed_ratios_as_written() {
    use ch14_benchmarks::Allocator::{self, Jemalloc, Mimalloc, System};
    use ch14_benchmarks::stats::Finding::{OtherFaster, SystemFaster, Unresolved};
    let runs = summaries();
    let chapter = Chapter::load();
    // Each run's comparison of `w` with jemalloc or mimalloc, run 1 first.
    let jemalloc = |w: &str| {
        runs.iter()
            .map(|rows| row(rows, w).jemalloc)
            .collect::<Vec<_>>()
    };
    let mimalloc = |w: &str| {
        runs.iter()
            .map(|rows| row(rows, w).mimalloc)
            .collect::<Vec<_>>()
    };
    let median = |w: &str, a: Allocator| {
        runs.iter()
            .map(|rows| row(rows, w).medians[&a])
            .collect::<Vec<_>>()
    };
    let findings =
        |cs: Vec<summary::Comparison>| cs.iter().map(|c| c.finding).collect::<Vec<_>>();
    let ratios = |cs: Vec<summary::Comparison>| {
        cs.iter()
            .map(|c| format!("{:.2}", c.ratio))
            .collect::<Vec<_>>()
    };
    let both = |cs: Vec<summary::Comparison>, f| {
        assert_eq!(
            findings(cs.clone()),
            [f, f],
            "expected {f:?} in both runs, saw {cs:?}"
        )
    };

    chapter.says(
        "jemalloc is faster than System on alloc/free pairs, on two threads handing blocks to each \
         other and on two threads that keep their own.",
    );
    for w in ["pairs-16B-1KiB", "producer-consumer-2t", "thread-local-2t"] {
        both(jemalloc(w), OtherFaster);
    }
    chapter.says(
        "System is faster than both on large blocks that are never written and on growing a \
         vector to 4 KiB and to 64 MiB, and faster than jemalloc on large blocks that are written.",
    );
    for w in ["large-untouched", "vec-push-4KiB", "vec-push-64MiB"] {
        both(jemalloc(w), SystemFaster);
        both(mimalloc(w), SystemFaster);
    }
    both(jemalloc("large-touched"), SystemFaster);
    chapter.says(
        "mimalloc is ahead of System on object churn and on cross-thread frees, and behind it on \
         alloc/free pairs.",
    );
    both(mimalloc("object-churn"), OtherFaster);
    both(mimalloc("producer-consumer-2t"), OtherFaster);
    both(mimalloc("pairs-16B-1KiB"), SystemFaster);
    chapter.says(
        "The two runs disagree on object churn and on eight threads for jemalloc, and on \
         start-up, growth to 1 MiB and large written blocks for mimalloc",
    );
    let inconsistent = |other: fn(&Row) -> summary::Comparison| -> Vec<&str> {
        runs[0]
            .iter()
            .zip(&runs[1])
            .filter(|(a, b)| {
                Agreement::of(&other(a), &other(b)) == Agreement::Inconsistent
            })
            .map(|(a, _)| a.workload)
            .collect()
    };
    assert_eq!(
        inconsistent(|r| r.jemalloc),
        ["object-churn", "thread-local-8t"],
        "the jemalloc comparisons on which the runs disagree"
    );
    assert_eq!(
        inconsistent(|r| r.mimalloc),
        ["vec-push-1MiB", "large-touched", "startup"],
        "the mimalloc comparisons on which the runs disagree"
    );

    chapter.says("load averages of 9 to 12 on its 2 cores");
    for (i, results) in committed().iter().enumerate() {
        for key in ["load_average_before", "load_average_after"] {
            let load: f64 = results.env(key).parse().unwrap_or(f64::NAN);
            assert!(
                (9.0..=12.0).contains(&load),
                "run {}: expected {key} between 9 and 12, saw {load}",
                i + 1
            );
        }
    }

    // The control row.
    chapter.says("The harness costs under 2 ns per pair.");
    for a in Allocator::ALL {
        let ns = median("harness-overhead", a);
        assert!(
            ns.iter().all(|&ns| ns < 2.0),
            "{a:?}: expected under 2 ns per pair in both runs, saw {ns:?}"
        );
    }
    chapter.says(
        "yet neither comparison is resolved in either run: the intervals reach up to about 25% \
         either side of 1.",
    );
    let control: Vec<summary::Comparison> = jemalloc("harness-overhead")
        .into_iter()
        .chain(mimalloc("harness-overhead"))
        .collect();
    assert!(
        control.iter().all(|c| c.finding == Unresolved),
        "expected every control comparison unresolved, saw {control:?}"
    );
    let reach = control
        .iter()
        .map(|c| (1.0 - c.interval.low).max(c.interval.high - 1.0))
        .fold(0.0, f64::max);
    assert!(
        (0.15..=0.35).contains(&reach),
        "expected the control intervals to reach about 25% from 1 at most, saw {reach:.2} in \
         {control:?}"
    );

    // The bands.
    chapter.says("Four workloads land outside their expected band in both runs, and `thread-local-8t` in one run only.");
    let outside = |rows: &Vec<Row>| -> Vec<&str> {
        rows.iter()
            .filter(|r| r.in_band == Some(false))
            .map(|r| r.workload)
            .collect()
    };
    let (one, two) = (outside(&runs[0]), outside(&runs[1]));
    let in_both: Vec<&str> = one.iter().copied().filter(|w| two.contains(w)).collect();
    assert_eq!(
        in_both,
        [
            "pairs-16B-1KiB",
            "producer-consumer-2t",
            "thread-local-2t",
            "large-touched"
        ],
        "the workloads outside their band in both runs"
    );
    let in_one: Vec<&str> = one
        .iter()
        .chain(&two)
        .copied()
        .filter(|w| !in_both.contains(w))
        .collect();
    assert_eq!(
        in_one,
        ["thread-local-8t"],
        "the workloads outside their band in one run"
    );
    chapter.says("Only the object-churn band rests on published figures");
    let published: Vec<&str> = runs[0]
        .iter()
        .filter(|r| r.band.is_some_and(|b| b.origin.kind() == "published"))
        .map(|r| r.workload)
        .collect();
    assert_eq!(published, ["object-churn"]);
    chapter.says(
        "timed 1.04 and 1.13 times as long on glibc as on jemalloc in two reports.",
    );
    let figures: Vec<String> = match row(&runs[0], "object-churn")
        .band
        .map(|b| b.origin)
    {
        Some(Origin::Published(figures)) => {
            figures.iter().map(|f| format!("{:.2}", f.ratio)).collect()
        }
        other => panic!("expected object-churn's band to be published, saw {other:?}"),
    };
    assert_eq!(figures, ["1.04", "1.13"]);

    // Handing blocks over.
    chapter.says(
        "On `producer-consumer-2t`, System takes about 1.6 times as long per block as jemalloc in \
         both runs, above the 0.9-1.4 band.",
    );
    let hand_over = jemalloc("producer-consumer-2t");
    assert!(
        hand_over.iter().all(|c| (1.5..1.7).contains(&c.ratio)),
        "expected about 1.6 in both runs, saw {hand_over:?}"
    );
    assert_eq!(
        row(&runs[0], "producer-consumer-2t")
            .band
            .map(|b| b.range.describe()),
        Some("0.9-1.4".to_owned())
    );
    chapter.says(
        "It is also the workload where System's time per block grows most against the \
         thread-local workloads",
    );
    for rows in &runs {
        let growth = |a: Allocator| {
            row(rows, "producer-consumer-2t").medians[&a]
                / row(rows, "thread-local-2t").medians[&a]
        };
        assert!(
            growth(System) > growth(Jemalloc) && growth(System) > growth(Mimalloc),
            "expected System's growth the largest, saw System {}, jemalloc {}, mimalloc {}",
            growth(System),
            growth(Jemalloc),
            growth(Mimalloc)
        );
    }

    // Threads that keep their blocks.
    chapter
        .says("On `thread-local-2t` jemalloc is faster by more than the band's 1.2 in both runs.");
    both(jemalloc("thread-local-2t"), OtherFaster);
    let kept = jemalloc("thread-local-2t");
    assert!(
        kept.iter().all(|c| c.ratio > 1.2),
        "expected above 1.2 in both runs, saw {kept:?}"
    );
    chapter.says(
        "On `thread-local-8t` the runs disagree (1.18, inside the band, and 1.26).",
    );
    assert_eq!(ratios(jemalloc("thread-local-8t")), ["1.18", "1.26"]);
    assert_eq!(
        runs.iter()
            .map(|rows| row(rows, "thread-local-8t").in_band)
            .collect::<Vec<_>>(),
        [Some(true), Some(false)]
    );

    // Large blocks.
    chapter.says(
        "On `large-touched`, System is several times faster than jemalloc, where the band expects \
         a tie.",
    );
    assert!(jemalloc("large-touched").iter().all(|c| c.ratio < 0.5));
    chapter.says(
        "That is why mimalloc is several times faster than jemalloc here in both runs.",
    );
    for (j, m) in median("large-touched", Jemalloc)
        .into_iter()
        .zip(median("large-touched", Mimalloc))
    {
        assert!(
            j > 2.0 * m,
            "expected jemalloc over twice mimalloc's time, saw {j} and {m}"
        );
    }
    chapter.says("Against System the two runs disagree (1.62 and 7.13)");
    assert_eq!(ratios(mimalloc("large-touched")), ["1.62", "7.13"]);
    chapter.says("**Large untouched blocks.** System is far ahead, as expected");
    assert!(jemalloc("large-untouched").iter().all(|c| c.ratio < 0.25));

    // Pairs.
    chapter.says(
        "jemalloc is faster in both runs, though below the 1.5-2.2 band; mimalloc is slower than \
         System here in both runs.",
    );
    both(jemalloc("pairs-16B-1KiB"), OtherFaster);
    let pairs = jemalloc("pairs-16B-1KiB");
    assert!(
        pairs.iter().all(|c| c.ratio < 1.5),
        "expected below the band in both runs, saw {pairs:?}"
    );
    assert_eq!(
        row(&runs[0], "pairs-16B-1KiB")
            .band
            .map(|b| b.range.describe()),
        Some("1.5-2.2".to_owned())
    );
    both(mimalloc("pairs-16B-1KiB"), SystemFaster);

    // Growing a vector.
    chapter.says(
        "Growing to 4 KiB, System is faster than both in both runs; growing to 1 MiB, neither run \
         resolves jemalloc from System, and the runs disagree on mimalloc; growing to 64 MiB, \
         System is faster than both.",
    );
    both(jemalloc("vec-push-4KiB"), SystemFaster);
    both(mimalloc("vec-push-4KiB"), SystemFaster);
    both(jemalloc("vec-push-1MiB"), Unresolved);
    let m = mimalloc("vec-push-1MiB");
    assert_eq!(
        Agreement::of(&m[0], &m[1]),
        Agreement::Inconsistent,
        "{m:?}"
    );
    both(jemalloc("vec-push-64MiB"), SystemFaster);
    both(mimalloc("vec-push-64MiB"), SystemFaster);
    chapter.says(
        "the controls with `Vec::with_capacity`, which never reallocate, are much closer together.",
    );
    for (push, control) in jemalloc("vec-push-64MiB")
        .into_iter()
        .zip(jemalloc("vec-capacity-64MiB"))
        .chain(
            mimalloc("vec-push-64MiB")
                .into_iter()
                .zip(mimalloc("vec-capacity-64MiB")),
        )
    {
        assert!(
            control.ratio.ln().abs() < push.ratio.ln().abs(),
            "expected the control {control:?} closer to 1 than the push {push:?}"
        );
    }

    // Start-up.
    chapter.says(
        "these runs cannot tell: neither resolves jemalloc's start-up from System's.",
    );
    both(jemalloc("startup"), Unresolved);
}

#[test]
fn the_chapter_reads_the_committed_memory_and_sizes_as_written() {
    let chapter = Chapter::load();
    for (i, results) in committed().iter().enumerate() {
        memory_and_sizes_hold(results, i + 1, &chapter);
    }
}

fn memory_and_sizes_hold(results: &Results, run: usize, chapter: &Chapter) {
    use ch14_benchmarks::Allocator::{Jemalloc, Mimalloc, System};
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
        assert!(
            last as f64 >= 0.99 * at_once as f64,
            "run {run}, {a:?}: expected nothing given back while idle, saw {freed:?}"
        );
        let last_reading = results
            .rss
            .iter()
            .rfind(|r| r.allocator == a && r.phase == "freed")
            .map(|r| r.after_ms / 1000);
        assert_eq!(
            last_reading,
            Some(12),
            "run {run}, {a:?}: the last idle reading is 12 s after the free"
        );
    }
    chapter.says("Asked explicitly, glibc returns the most and mimalloc the least.");
    let released = |a| bytes(a, "released")[0];
    assert!(
        released(System) < released(Jemalloc)
            && released(Jemalloc) < released(Mimalloc),
        "run {run}: expected glibc to keep the least and mimalloc the most after the release"
    );

    chapter
        .says("Linking jemalloc makes the stripped binary several hundred KiB larger.");
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
        "run {run}: expected jemalloc at least 200 KiB larger"
    );
}
