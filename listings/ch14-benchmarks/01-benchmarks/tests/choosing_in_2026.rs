//! The statements "Choosing in 2026" (src/ch14-02-choosing-in-2026.md) makes about
//! chapter 14's committed results. Each statement must hold in both committed runs: if
//! a re-run changes the picture, this fails until the prose follows.

use std::path::Path;

use ch14_benchmarks::Allocator::{self, Jemalloc, Mimalloc, System};
use ch14_benchmarks::results::{Results, read_runs};
use ch14_benchmarks::stats::Finding::{OtherFaster, SystemFaster, Unresolved};
use ch14_benchmarks::summary::{Row, summarise};

fn committed() -> Vec<Results> {
    read_runs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("results"))
        .unwrap_or_else(|err| panic!("{err}"))
}

fn row<'a>(rows: &'a [Row], workload: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.workload == workload)
        .unwrap_or_else(|| panic!("no row for {workload}"))
}

#[test]
fn the_choosing_chapter_reads_the_committed_results_as_written() {
    let runs = committed();
    let summaries: Vec<Vec<Row>> = runs
        .iter()
        .map(|r| summarise(r).unwrap_or_else(|err| panic!("{err}")))
        .collect();
    for (i, (results, rows)) in runs.iter().zip(&summaries).enumerate() {
        the_choosing_chapter_holds_for(results, rows, i + 1);
    }
    // "the runs disagree on object churn and on eight threads"; mimalloc on large
    // written blocks "faster than System by 1.62 in one run and 7.13 in the other"
    for w in ["object-churn", "thread-local-8t"] {
        let (a, b) = (
            row(&summaries[0], w).jemalloc,
            row(&summaries[1], w).jemalloc,
        );
        assert_ne!(
            a.finding, b.finding,
            "expected the runs to disagree on jemalloc, {w}"
        );
    }
    let touched: Vec<String> = summaries
        .iter()
        .map(|rows| format!("{:.2}", row(rows, "large-touched").mimalloc.ratio))
        .collect();
    assert_eq!(
        touched,
        ["1.62", "7.13"],
        "mimalloc on large-touched, run 1 and run 2"
    );
}

fn the_choosing_chapter_holds_for(results: &Results, rows: &[Row], run: usize) {
    // "jemalloc: faster than System on alloc/free pairs and on two threads in both
    // runs"
    for w in ["pairs-16B-1KiB", "thread-local-2t"] {
        assert_eq!(
            row(rows, w).jemalloc.finding,
            OtherFaster,
            "run {run}: jemalloc on {w}"
        );
    }
    // "mimalloc: faster on object churn, with the lowest median of the three there;
    // slower on alloc/free pairs; on two and eight threads neither run tells it from
    // System"
    assert_eq!(
        row(rows, "object-churn").mimalloc.finding,
        OtherFaster,
        "run {run}"
    );
    let churn = &row(rows, "object-churn").medians;
    assert!(
        churn[&Mimalloc] < churn[&Jemalloc] && churn[&Mimalloc] < churn[&System],
        "run {run}: expected mimalloc's median the lowest on object churn, saw {churn:?}"
    );
    assert_eq!(
        row(rows, "pairs-16B-1KiB").mimalloc.finding,
        SystemFaster,
        "run {run}"
    );
    for w in ["thread-local-2t", "thread-local-8t"] {
        assert_eq!(
            row(rows, w).mimalloc.finding,
            Unresolved,
            "run {run}: mimalloc on {w}"
        );
    }
    // "Threads freeing each other's blocks: System the slowest; jemalloc about 1.6
    // times as fast; mimalloc at least 1.9 times as fast"
    let cross = row(rows, "producer-consumer-2t");
    assert!(
        (1.5..1.7).contains(&cross.jemalloc.ratio) && cross.mimalloc.ratio >= 1.9,
        "run {run}: expected jemalloc about 1.6 and mimalloc at least 1.9 times as fast, saw \
         {:.2} and {:.2}",
        cross.jemalloc.ratio,
        cross.mimalloc.ratio
    );
    assert_eq!(cross.jemalloc.finding, OtherFaster, "run {run}");
    assert_eq!(cross.mimalloc.finding, OtherFaster, "run {run}");
    // "System: fastest on untouched large blocks and on 64 MiB growth; at start-up no
    // run tells it from jemalloc"
    for w in ["large-untouched", "vec-push-64MiB"] {
        let r = row(rows, w);
        assert_eq!(
            r.jemalloc.finding, SystemFaster,
            "run {run}: jemalloc on {w}"
        );
        assert_eq!(
            r.mimalloc.finding, SystemFaster,
            "run {run}: mimalloc on {w}"
        );
    }
    assert_eq!(
        row(rows, "startup").jemalloc.finding,
        Unresolved,
        "run {run}: start-up"
    );
    // "neither other allocator started measurably faster here"
    let startup = row(rows, "startup");
    assert!(
        startup.jemalloc.finding != OtherFaster
            && startup.mimalloc.finding != OtherFaster,
        "run {run}: expected no allocator to start measurably faster than System, saw {startup:?}"
    );
    // "jemalloc several times slower on large written blocks"; mimalloc "several times
    // faster than jemalloc" there
    let touched = row(rows, "large-touched");
    assert!(
        touched.jemalloc.ratio < 0.5
            && touched.medians[&Jemalloc] > 2.0 * touched.medians[&Mimalloc],
        "run {run}: {touched:?}"
    );

    // "jemalloc adds several hundred KiB to a stripped binary; mimalloc less than half
    // as much"
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
        "run {run}: expected jemalloc to add at least 200 KiB, saw {jemalloc_adds} B"
    );
    assert!(
        mimalloc_adds > 0 && 2 * mimalloc_adds < jemalloc_adds,
        "run {run}: mimalloc adds {mimalloc_adds} B, jemalloc {jemalloc_adds} B"
    );
}
