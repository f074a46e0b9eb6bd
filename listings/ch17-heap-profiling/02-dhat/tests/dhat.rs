//! dhat's recording allocator measured against totals the listing knows: `HeapStats` and the
//! `dhat-heap.json` profile must charge `fill_cache` and `build_index` exactly what each
//! allocated. dhat records every allocation (no sampling), so the tests allow no tolerance.

use std::path::{Path, PathBuf};
use std::process::Command;

use book_harness::recorded::Recording;
use book_harness::repo;
use ch17_dhat::{CACHE_BYTES, INDEX_BYTES};

const EXE: &str = env!("CARGO_BIN_EXE_ch17-dhat");
const ON_SYSTEM: &str = env!("CARGO_BIN_EXE_ch17-02-on-system");

/// A `Box<[u8]>` in a function's list of blocks: a pointer and a length.
const LIST_ENTRY: u64 = 16;

/// What each function allocates, in bytes and blocks: its blocks plus the list that holds them.
const KNOWN: [(&str, u64, u64); 2] = [
    (
        "fill_cache",
        CACHE_BYTES as u64 + 1024 * LIST_ENTRY,
        1024 + 1,
    ),
    (
        "build_index",
        INDEX_BYTES as u64 + 16_384 * LIST_ENTRY,
        16_384 + 1,
    ),
];

/// An empty scratch directory for one test's profile.
fn scratch(test: &str) -> PathBuf {
    let dir = repo::target_dir().join("tmp/ch17-dhat").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|err| panic!("cannot create {}: {err}", dir.display()));
    dir
}

/// Runs `exe` with `args` in `dir`; returns its stdout.
fn run(exe: &str, args: &[&str], dir: &Path) -> String {
    let output = Command::new(exe)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|err| panic!("cannot run {exe}: {err}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{exe} {args:?} ended with {}:\n{stdout}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// `12,345` as a number.
fn number(text: &str) -> u64 {
    text.replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("expected a number, saw {text:?}"))
}

/// The numbers on the line of `stdout` that starts with `prefix` (after indentation), in order.
fn numbers_on(stdout: &str, prefix: &str) -> Vec<u64> {
    let line = stdout
        .lines()
        .map(str::trim_start)
        .find(|line| line.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{stdout}"));
    line[prefix.len()..]
        .split(|c: char| !(c.is_ascii_digit() || c == ','))
        .filter(|word| word.chars().any(|c| c.is_ascii_digit()))
        .map(number)
        .collect()
}

#[test]
fn heap_stats_count_exactly_what_each_function_allocated() {
    let stdout = run(EXE, &["dhat-heap.json"], &scratch("heap_stats"));
    let mut both = 0;
    for (function, bytes, blocks) in KNOWN {
        assert_eq!(
            numbers_on(&stdout, &format!("{function} allocated")),
            [bytes, blocks],
            "expected the listing to know {function}'s {bytes} bytes in {blocks} blocks:\n{stdout}"
        );
        assert_eq!(
            numbers_on(&stdout, &format!("{function:<12} total_bytes")),
            [bytes, blocks],
            "expected HeapStats' total_bytes and total_blocks to grow by exactly {bytes} and \
             {blocks} over {function}:\n{stdout}"
        );
        both += bytes;
    }
    assert_eq!(
        numbers_on(&stdout, "both alive"),
        [both, both],
        "expected curr_bytes and max_bytes (the peak) {both} above the start while both are \
         alive:\n{stdout}"
    );
    assert_eq!(
        numbers_on(&stdout, "both freed"),
        [0, both],
        "expected curr_bytes back at the start and the peak still {both} once both are \
         freed:\n{stdout}"
    );
}

/// What the profile charges to the program points whose stack holds `function`: total bytes and
/// blocks (`tb`, `tbk`), bytes live at the global peak (`gb`) and at the end (`eb`).
fn charged(profile: &serde_json::Value, function: &str) -> [u64; 4] {
    let frames = profile["ftbl"].as_array().expect("a frame table, `ftbl`");
    // A frame reads `0x55d4...: ch17_dhat::fill_cache (ch17-dhat/src/lib.rs:29:5)`.
    let symbol = format!(": ch17_dhat::{function} (");
    let in_function: Vec<bool> = frames
        .iter()
        .map(|frame| frame.as_str().is_some_and(|f| f.contains(&symbol)))
        .collect();
    let mut sums = [0; 4];
    for pp in profile["pps"].as_array().expect("program points, `pps`") {
        let frames = pp["fs"].as_array().expect("a program point's frames, `fs`");
        let charged_here = frames.iter().any(|index| {
            index
                .as_u64()
                .and_then(|index| in_function.get(index as usize))
                .copied()
                .unwrap_or(false)
        });
        if charged_here {
            for (sum, key) in sums.iter_mut().zip(["tb", "tbk", "gb", "eb"]) {
                *sum += pp[key]
                    .as_u64()
                    .unwrap_or_else(|| panic!("no `{key}` in {pp}"));
            }
        }
    }
    sums
}

/// Runs `exe`, which writes `dhat-heap.json`, and parses the profile.
fn profile_of(exe: &str, test: &str) -> serde_json::Value {
    let dir = scratch(test);
    run(exe, &["dhat-heap.json"], &dir);
    let path = dir.join("dhat-heap.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("dhat wrote no profile at {}: {err}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|err| panic!("{} is not JSON: {err}", path.display()))
}

#[test]
fn the_profile_charges_each_function_exactly_what_it_allocated() {
    let profile = profile_of(EXE, "profile");
    for (function, bytes, blocks) in KNOWN {
        assert_eq!(
            charged(&profile, function),
            [bytes, blocks, bytes, 0],
            "expected dhat-heap.json to charge {function} {bytes} bytes in {blocks} blocks, \
             all {bytes} live at the peak and none at the end ([tb, tbk, gb, eb])"
        );
    }
}

#[test]
fn on_system_dhat_sees_nothing() {
    let stdout = run(ON_SYSTEM, &["dhat-heap.json"], &scratch("on_system"));
    for (function, _, _) in KNOWN {
        assert_eq!(
            numbers_on(&stdout, &format!("{function:<12} total_bytes")),
            [0, 0],
            "expected HeapStats to count nothing for {function} when the global allocator is \
             System:\n{stdout}"
        );
    }
    let profile = profile_of(ON_SYSTEM, "on_system_profile");
    for (function, _, _) in KNOWN {
        assert_eq!(
            charged(&profile, function),
            [0; 4],
            "expected the profile to charge {function} nothing on System"
        );
    }
}

#[test]
fn output_matches_the_recording() {
    Recording::cargo_run("ch17-dhat", "ch17-dhat", EXE)
        .arg("dhat-heap.json")
        .current_dir(scratch("recording"))
        .check("listings/ch17-heap-profiling/02-dhat/recorded/run.txt");
}

/// The churn's time in nanoseconds, as the program measured it (without process start-up).
fn churn_nanos(exe: &str, args: &[&str], dir: &Path) -> f64 {
    let stdout = run(exe, args, dir);
    numbers_on(&stdout, "churn took")[0] as f64
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Recording every allocation costs a backtrace and a hash-table update under a global lock. The
/// same churn runs on System, on `dhat::Alloc` with no profiler running, and on `dhat::Alloc`
/// recording, in interleaved rounds; the test prints the ratios and asserts only the large effect.
#[test]
fn timing_recording_every_allocation_costs_more_than_system() {
    const ROUNDS: &str = "100000";
    const AT_LEAST: f64 = 3.0;
    let dir = scratch("timing");
    let mut last = String::new();
    for attempt in 1..=3 {
        let (mut system, mut wrapper, mut recording) = (vec![], vec![], vec![]);
        for _ in 0..5 {
            system.push(churn_nanos(ON_SYSTEM, &["--churn", ROUNDS], &dir));
            wrapper.push(churn_nanos(EXE, &["--churn", ROUNDS], &dir));
            recording.push(churn_nanos(EXE, &["--churn", ROUNDS, "churn.json"], &dir));
        }
        let system = median(system);
        let (wrapper, recording) = (median(wrapper) / system, median(recording) / system);
        last = format!(
            "attempt {attempt}: as multiples of System: dhat::Alloc without a profiler \
             {wrapper:.2}, recording {recording:.2}"
        );
        println!("{last}");
        if recording >= AT_LEAST {
            return;
        }
    }
    panic!("expected recording to make the churn at least {AT_LEAST} times slower; {last}");
}
