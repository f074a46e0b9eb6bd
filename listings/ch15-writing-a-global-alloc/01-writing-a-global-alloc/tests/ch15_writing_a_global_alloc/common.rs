//! What both counting binaries must print, whichever allocator they wrap.

use ch15_writing_a_global_alloc::Counts;
use ch15_writing_a_global_alloc::report::{Line, parse_all};

fn counts(allocations: u64, bytes: u64) -> Counts {
    Counts { allocations, bytes }
}

fn lines_of(exe: &str) -> Vec<Line> {
    let output = std::process::Command::new(exe)
        .output()
        .unwrap_or_else(|err| panic!("cannot run {exe}: {err}"));
    assert!(output.status.success(), "{exe} failed: {}", output.status);
    parse_all(&String::from_utf8_lossy(&output.stdout))
}

fn line<'a>(lines: &'a [Line], case: &str) -> &'a Line {
    lines
        .iter()
        .find(|line| line.case == case)
        .unwrap_or_else(|| panic!("no line for `{case}` in {lines:?}"))
}

/// Each known allocation on the main thread, counted exactly, the same on the thread and in total.
pub fn known_allocations_are_counted_exactly(exe: &str) {
    let lines = lines_of(exe);
    let expected = [
        ("Box::new(7u32)", counts(1, 4)),
        // A zero-sized value is never passed to the allocator.
        ("Box::new(())", counts(0, 0)),
        ("vec![0u8; 100]", counts(1, 100)),
        ("String::from(\"hello\")", counts(1, 5)),
        ("Vec::<u64>::with_capacity(10)", counts(1, 80)),
        // One allocation of 100 bytes, then one realloc to 300: two, 400 bytes.
        ("with_capacity(100) then reserve_exact(300)", counts(2, 400)),
    ];
    for (case, counted) in expected {
        let line = line(&lines, case);
        assert_eq!(line.thread, counted, "{case} on its thread");
        assert_eq!(line.total, counted, "{case} in total");
    }
}

/// The worker's allocations count for the worker and the total, not for the main thread.
pub fn a_worker_thread_counts_for_itself_not_for_main(exe: &str) {
    let lines = lines_of(exe);
    let worker = line(&lines, "worker: vec![1u8; 1000], Box::new([0u64; 4])");
    let main = line(&lines, "main thread, meanwhile");
    assert_eq!(worker.thread, counts(2, 1032));
    assert_eq!(main.thread, counts(0, 0));
    assert_eq!(main.total, counts(2, 1032));
}

/// The binary's output is the recording the chapter shows.
// Linux with glibc only: the recording shows glibc's counters, recorded there.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn output_matches_the_recording(bin: &str, exe: &str) {
    book_harness::recorded::Recording::cargo_run("ch15-writing-a-global-alloc", bin, exe).check(
        format!(
            "listings/ch15-writing-a-global-alloc/01-writing-a-global-alloc/recorded/{bin}.txt"
        ),
    );
}
