//! The statements "Choosing in 2026" (src/ch14-02-choosing-in-2026.md) makes about chapter 14's
//! committed results. If a re-run changes the picture, this fails until the prose follows.

use std::path::Path;

use ch14_benchmarks::Allocator::{self, Jemalloc, Mimalloc, System};
use ch14_benchmarks::report::{self, Results, Row};
use ch14_benchmarks::stats::Finding::{OtherFaster, SystemFaster};

fn committed() -> Results {
    Results::read_raw(&Path::new(env!("CARGO_MANIFEST_DIR")).join("results"))
        .unwrap_or_else(|err| panic!("{err}"))
}

fn row<'a>(rows: &'a [Row], workload: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.workload == workload)
        .unwrap_or_else(|| panic!("no row for {workload}"))
}

const SMALL: [&str; 5] = [
    "pairs-16B-1KiB",
    "object-churn",
    "producer-consumer-2t",
    "thread-local-2t",
    "thread-local-8t",
];

#[test]
fn the_choosing_chapter_reads_the_committed_results_as_written() {
    let results = committed();
    let rows = report::summarise(&results).unwrap_or_else(|err| panic!("{err}"));

    // "jemalloc is faster than System on all five small-object workloads"
    for w in SMALL {
        assert_eq!(
            row(&rows, w).jemalloc.finding,
            OtherFaster,
            "jemalloc on {w}"
        );
    }
    // "mimalloc on two of them, object churn and cross-thread frees; on the other three the
    // interval includes 1"
    let mimalloc_faster: Vec<&str> = SMALL
        .into_iter()
        .filter(|w| row(&rows, w).mimalloc.finding == OtherFaster)
        .collect();
    assert_eq!(mimalloc_faster, ["object-churn", "producer-consumer-2t"]);
    for w in ["pairs-16B-1KiB", "thread-local-2t", "thread-local-8t"] {
        let interval = row(&rows, w).mimalloc.interval;
        assert!(
            interval.low <= 1.0 && interval.high >= 1.0,
            "mimalloc on {w}: {interval:?} should include 1"
        );
    }
    // "Both are at least twice as fast as System when threads free each other's blocks"
    let cross = row(&rows, "producer-consumer-2t");
    assert!(
        cross.jemalloc.ratio >= 2.0 && cross.mimalloc.ratio >= 2.0,
        "{cross:?}"
    );
    // "On object churn, mimalloc has the lowest median of the three"
    let churn = &row(&rows, "object-churn").medians;
    assert!(
        churn[&Mimalloc] < churn[&Jemalloc] && churn[&Mimalloc] < churn[&System],
        "{churn:?}"
    );
    // "System is faster than both at start-up, on large blocks that are never written, and on
    // growing a Vec to 64 MiB"
    for w in ["startup", "large-untouched", "vec-push-64MiB"] {
        let r = row(&rows, w);
        assert_eq!(r.jemalloc.finding, SystemFaster, "jemalloc on {w}");
        assert_eq!(r.mimalloc.finding, SystemFaster, "mimalloc on {w}");
    }
    // "On large blocks written page by page, mimalloc is several times faster than System and
    // jemalloc several times slower"
    let touched = row(&rows, "large-touched");
    assert!(
        touched.mimalloc.ratio > 2.0 && touched.jemalloc.ratio < 0.5,
        "{touched:?}"
    );

    // "jemalloc adds several hundred KiB to a stripped binary; mimalloc less than half as much"
    let size = |a: Allocator| {
        results
            .sizes
            .iter()
            .find(|(b, _)| *b == a)
            .map(|(_, s)| *s)
            .expect("a size per allocator")
    };
    let (jemalloc_adds, mimalloc_adds) =
        (size(Jemalloc) - size(System), size(Mimalloc) - size(System));
    assert!(
        jemalloc_adds >= 200 * 1024,
        "jemalloc adds {jemalloc_adds} B"
    );
    assert!(
        mimalloc_adds > 0 && 2 * mimalloc_adds < jemalloc_adds,
        "mimalloc adds {mimalloc_adds} B, jemalloc {jemalloc_adds} B"
    );
}
