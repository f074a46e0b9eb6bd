//! Chapter 14's producer/consumer section rests on `results/gap/`, written by one
//! command (`cargo bench ... -- --gap`), which makes two independent runs. These tests
//! derive the table again from the committed samples and check every sentence of the
//! section that carries a number, including that both runs agree on each finding it
//! states.

use std::path::Path;

use ch14_benchmarks::gap::{self, Cell, GapResults};

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn committed() -> GapResults {
    GapResults::read_raw(&here().join("results/gap"))
        .unwrap_or_else(|err| panic!("{err}"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

#[test]
fn the_gap_table_derives_from_the_committed_samples() {
    let results = committed();
    for (name, text) in gap::render(&results).unwrap_or_else(|err| panic!("{err}")) {
        let path = here().join("results/gap").join(name);
        assert!(
            read(&path) == text,
            "expected {} to be what the committed samples render to; run `cargo bench --locked \
             --manifest-path listings/ch14-benchmarks/01-benchmarks/Cargo.toml -- --gap --render`",
            path.display()
        );
    }
    assert_eq!(
        results.samples.iter().map(|s| s.run).max(),
        Some(2),
        "expected two independent runs in the committed samples"
    );
}

/// Both runs' cells of `job` on `variant`.
fn both(results: &GapResults, job: &str, variant: &str) -> [Cell; 2] {
    [1, 2].map(|run| {
        gap::cell(results, run, job, variant).unwrap_or_else(|| {
            panic!("no paired samples for {job} {variant} run {run}")
        })
    })
}

fn slower(c: Cell) -> bool {
    c.interval.low > 1.0
}

fn unresolved(c: Cell) -> bool {
    c.interval.low <= 1.0 && c.interval.high >= 1.0
}

/// The section's sentences that carry numbers, written from the committed runs, after
/// checking that both runs agree on what each says.
fn sentences(results: &GapResults) -> Vec<String> {
    let pc = "producer-consumer-2t";
    let [s1, s2] = both(results, pc, "system");
    let [j1, j2] = both(results, pc, "jemalloc");
    let [a1, a2] = both(results, pc, "system-arena-max-1");
    let [t1, t2] = both(results, pc, "system-tcache-1000");
    assert!(
        [s1, s2, a1, a2, t1, t2].into_iter().all(slower),
        "expected System, with either setting, slower than jemalloc in both runs"
    );
    assert!(
        s1.voluntary > j1.voluntary && s2.voluntary > j2.voluntary,
        "expected more voluntary switches on System than on jemalloc in both runs: System {} and {}, jemalloc {} and {}",
        s1.voluntary,
        s2.voluntary,
        j1.voluntary,
        j2.voluntary
    );
    assert!(
        s1.involuntary > 2.0 * j1.involuntary && s2.involuntary > 2.0 * j2.involuntary,
        "expected more than twice jemalloc's involuntary switches on System in both runs: System {} and {}, jemalloc {} and {}",
        s1.involuntary,
        s2.involuntary,
        j1.involuntary,
        j2.involuntary
    );
    let [o1, o2] = both(results, "handover-1", "system");
    let [oj1, oj2] = both(results, "handover-1", "jemalloc");
    let [k1, k2] = both(results, "handover-1024", "system");
    assert!(
        [o1, o2, k1, k2].into_iter().all(unresolved),
        "expected neither run to resolve System against jemalloc at 1 and 1,024 blocks a message"
    );
    for variant in ["system", "jemalloc"] {
        for c in both(results, "thread-local-2t", variant) {
            assert!(c.voluntary < 0.05, "thread-local-2t {variant}: {c:?}");
        }
    }
    vec![
        format!(
            "On `producer-consumer-2t` System took {:.2} and {:.2} times as long per block as \
             jemalloc in the two runs (95% intervals {:.2}-{:.2} and {:.2}-{:.2}).",
            s1.vs_jemalloc,
            s2.vs_jemalloc,
            s1.interval.low,
            s1.interval.high,
            s2.interval.low,
            s2.interval.high
        ),
        format!(
            "Its threads switched voluntarily {:.1} and {:.1} times per 1,000 blocks against \
             jemalloc's {:.1} and {:.1}, and involuntarily {:.1} and {:.1} times against {:.1} and \
             {:.1}.",
            s1.voluntary,
            s2.voluntary,
            j1.voluntary,
            j2.voluntary,
            s1.involuntary,
            s2.involuntary,
            j1.involuntary,
            j2.involuntary
        ),
        format!(
            "With `MALLOC_ARENA_MAX=1` the ratio was {:.2} and {:.2}; with \
             `GLIBC_TUNABLES=glibc.malloc.tcache_count=1000`, {:.2} and {:.2}.",
            a1.vs_jemalloc, a2.vs_jemalloc, t1.vs_jemalloc, t2.vs_jemalloc
        ),
        format!(
            "With one block per message, both allocators' threads switched voluntarily about \
             {:.0} times per 1,000 blocks (System {:.0} and {:.0}, jemalloc {:.0} and {:.0}), \
             and neither run could tell System from jemalloc: the ratios were {:.2} \
             ({:.2}-{:.2}) and {:.2} ({:.2}-{:.2}).",
            (o1.voluntary / 100.0).round() * 100.0,
            o1.voluntary,
            o2.voluntary,
            oj1.voluntary,
            oj2.voluntary,
            o1.vs_jemalloc,
            o1.interval.low,
            o1.interval.high,
            o2.vs_jemalloc,
            o2.interval.low,
            o2.interval.high
        ),
        format!(
            "With 1,024 blocks per message neither run could tell them apart either: {:.2} \
             ({:.2}-{:.2}) and {:.2} ({:.2}-{:.2}).",
            k1.vs_jemalloc,
            k1.interval.low,
            k1.interval.high,
            k2.vs_jemalloc,
            k2.interval.low,
            k2.interval.high
        ),
    ]
}

#[test]
fn the_chapter_reads_the_committed_gap_as_written() {
    let chapter = read(&here().join("../../../src/ch14-benchmarks.md"));
    let chapter = chapter.split_whitespace().collect::<Vec<_>>().join(" ");
    for sentence in sentences(&committed()) {
        assert!(
            chapter.contains(&sentence),
            "expected src/ch14-benchmarks.md to say, as the committed runs give it:\n{sentence}"
        );
    }
}
