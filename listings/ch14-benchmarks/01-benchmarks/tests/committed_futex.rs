//! Chapter 14's `futex` counts rest on `results/futex/`, written by one command (`cargo
//! bench ... -- --futex`, under strace), which makes two independent runs. These tests
//! derive the table again from the committed samples and check the sentence that
//! carries the numbers, including that both runs agree on what it says.

use std::path::Path;

use ch14_benchmarks::Allocator::{Jemalloc, System};
use ch14_benchmarks::futex::{self, FutexResults};

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn committed() -> FutexResults {
    FutexResults::read_raw(&here().join("results/futex"))
        .unwrap_or_else(|err| panic!("{err}"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

#[test]
fn the_futex_table_derives_from_the_committed_counts() {
    let results = committed();
    for (name, text) in futex::render(&results).unwrap_or_else(|err| panic!("{err}")) {
        let path = here().join("results/futex").join(name);
        assert!(
            read(&path) == text,
            "expected {} to be what the committed samples render to; run `cargo bench --locked \
             --manifest-path listings/ch14-benchmarks/01-benchmarks/Cargo.toml -- --futex --render`",
            path.display()
        );
    }
    assert_eq!(
        results.samples.iter().map(|s| s.run).max(),
        Some(2),
        "expected two independent runs in the committed samples"
    );
}

#[test]
fn the_chapter_reads_the_committed_futex_counts_as_written() {
    let results = committed();
    let value = |run, job, allocator| {
        results.per_1000(run, job, allocator).unwrap_or_else(|| {
            panic!("no samples for {job} on {allocator:?} in run {run}")
        })
    };
    let pc = "producer-consumer-2t";
    let (s1, s2, j1, j2) = (
        value(1, pc, System),
        value(2, pc, System),
        value(1, pc, Jemalloc),
        value(2, pc, Jemalloc),
    );
    for (system, jemalloc) in [(s1, j1), (s2, j2)] {
        assert!(
            system <= 1.5 * jemalloc && jemalloc <= 1.5 * system,
            "expected System and jemalloc within a factor of 1.5 in each run, saw {system:.2} and \
             {jemalloc:.2}"
        );
    }
    for run in [1, 2] {
        for allocator in [System, Jemalloc] {
            let kept = value(run, "thread-local-2t", allocator);
            assert!(
                kept < 0.005,
                "run {run}, {allocator:?}: expected 0.00 futex calls per 1,000 blocks on \
                 thread-local-2t once rounded, saw {kept}"
            );
        }
    }
    let sentence = format!(
        "On `producer-consumer-2t` System's threads made {s1:.2} and {s2:.2} futex calls per 1,000 \
         blocks in the two runs, jemalloc's {j1:.2} and {j2:.2}: within a factor of 1.5 of each \
         other in both runs. On `thread-local-2t` neither made any to speak of (0.00 in both runs, \
         rounded)."
    );
    let chapter = read(&here().join("../../../src/ch14-benchmarks.md"));
    let chapter = chapter.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        chapter.contains(&sentence),
        "expected src/ch14-benchmarks.md to say, as the committed runs give it:\n{sentence}"
    );
}
