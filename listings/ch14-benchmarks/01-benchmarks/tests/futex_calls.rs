//! Chapter 14's producer/consumer gap, counted in `futex` calls under `strace -f -c`:
//! what the chapter says the committed counts show must hold on a fresh count. The root
//! test `tests/allocator_book/ch14_futex.rs` runs this file in the README's second
//! command, which installs strace.

use std::path::{Path, PathBuf};

use ch14_benchmarks::Allocator;
use ch14_benchmarks::futex::{self, Count};

fn worker(allocator: Allocator) -> &'static Path {
    match allocator {
        Allocator::System => Path::new(env!("CARGO_BIN_EXE_bench-system")),
        Allocator::Jemalloc => Path::new(env!("CARGO_BIN_EXE_bench-jemalloc")),
        Allocator::Mimalloc => Path::new(env!("CARGO_BIN_EXE_bench-mimalloc")),
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ch14-futex");
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|err| panic!("cannot create {}: {err}", dir.display()));
    dir.join(name)
}

/// `futex` calls of one worker run of `args`, counted by strace.
fn count(allocator: Allocator, args: &[&str]) -> Count {
    let strace = book_harness::tools::require("strace", "strace");
    let file = scratch(&format!("{}-{}.txt", allocator.name(), args.join("-")));
    futex::count(&strace, worker(allocator), args, allocator, &file)
        .unwrap_or_else(|err| panic!("{err}"))
}

/// The median of `tries` counts' calls per 1,000 blocks.
fn per_1000(allocator: Allocator, args: &[&str], tries: usize) -> f64 {
    let mut values: Vec<f64> = (0..tries)
        .map(|_| count(allocator, args).per_1000())
        .collect();
    values.sort_by(f64::total_cmp);
    values[tries / 2]
}

const HANDOVER: [&str; 3] = ["handover", "64", "4"];
const THREAD_LOCAL: [&str; 3] = ["run", "thread-local-2t", "4"];

#[test]
#[ignore = "needs strace (Debian package strace): the second test command runs it"]
fn system_makes_about_as_many_futex_calls_as_jemalloc_handing_blocks_over() {
    // How often the two threads meet depends on the load of the machine: the medians of
    // 5 counts each, up to three tries, and one try that holds is enough.
    let mut seen = Vec::new();
    let held = (0..3).any(|_| {
        let system = per_1000(Allocator::System, &HANDOVER, 5);
        let jemalloc = per_1000(Allocator::Jemalloc, &HANDOVER, 5);
        seen.push((system, jemalloc));
        system > 1.0
            && jemalloc > 1.0
            && system <= 1.5 * jemalloc
            && jemalloc <= 1.5 * system
    });
    assert!(
        held,
        "expected both allocators' threads to make more than 1 futex call per 1,000 blocks \
         handed over, within a factor of 1.5 of each other; saw (System, jemalloc) {seen:.2?} in \
         three tries"
    );
}

#[test]
#[ignore = "needs strace (Debian package strace): the second test command runs it"]
fn keeping_blocks_on_their_thread_makes_almost_no_futex_calls() {
    for allocator in [Allocator::System, Allocator::Jemalloc] {
        let kept = per_1000(allocator, &THREAD_LOCAL, 3);
        let handed = per_1000(allocator, &HANDOVER, 3);
        assert!(
            kept < 0.1 && kept * 20.0 < handed,
            "{}: expected under 0.1 futex calls per 1,000 blocks on thread-local-2t, and at most \
             a twentieth of producer-consumer-2t's; saw {kept:.3} kept, {handed:.2} handed over",
            allocator.name()
        );
    }
}
