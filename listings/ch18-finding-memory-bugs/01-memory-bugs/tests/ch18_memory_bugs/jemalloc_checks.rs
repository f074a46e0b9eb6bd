//! jemalloc's own debugging options, set through `_RJEM_MALLOC_CONF` on the `on-jemalloc` binary:
//! `junk` and `zero` fill blocks so that a read of memory never written shows a known value, and
//! `stats_print` prints jemalloc's statistics at exit. Each run is a child process, recorded.
// The values read come from jemalloc's fill options and the recordings from this Linux build.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::recorded::{Recording, check_transcript};

const EXE: &str = env!("CARGO_BIN_EXE_on-jemalloc");

/// Runs `on-jemalloc read-before-write` under `conf` (none when empty), compares its output with
/// the recording `recorded/<name>.txt`, and returns the byte it read.
fn read_before_write(conf: &str, name: &str) -> String {
    let mut recording = Recording::new(EXE, "./on-jemalloc").env_remove("_RJEM_MALLOC_CONF");
    if !conf.is_empty() {
        recording = recording.env("_RJEM_MALLOC_CONF", conf);
    }
    let ran = recording.arg("read-before-write").check(format!(
        "listings/ch18-finding-memory-bugs/01-memory-bugs/recorded/{name}.txt"
    ));
    assert!(
        ran.status.success() && ran.output.contains("the new block is the freed one: true"),
        "on-jemalloc should reuse the freed block and finish; it ended with {}:\n{}",
        ran.status,
        ran.output
    );
    ran.output
        .lines()
        .find_map(|line| line.strip_prefix("its last byte before any write: "))
        .unwrap_or_else(|| panic!("no byte in the output:\n{}", ran.output))
        .to_owned()
}

#[test]
fn without_options_a_reused_block_still_holds_the_old_bytes() {
    assert_eq!(
        read_before_write("", "stale"),
        "0xee",
        "without junk or zero, jemalloc should hand back the freed block as it was left"
    );
}

#[test]
fn junk_fills_a_new_block_with_0xa5() {
    assert_eq!(
        read_before_write("junk:true", "junk"),
        "0xa5",
        "junk:true should fill every new block with 0xa5"
    );
}

#[test]
fn junk_free_fills_a_freed_block_with_0x5a() {
    assert_eq!(
        read_before_write("junk:free", "junk-free"),
        "0x5a",
        "junk:free should fill every freed block with 0x5a, which the next allocation sees"
    );
}

#[test]
fn zero_hands_out_zeroed_blocks() {
    assert_eq!(
        read_before_write("zero:true", "zero"),
        "0x00",
        "zero:true should zero every new block"
    );
}

#[test]
fn stats_print_prints_the_statistics_at_exit() {
    let ran = Recording::new(EXE, "./on-jemalloc")
        .env("_RJEM_MALLOC_CONF", "stats_print:true")
        .arg("leak")
        .run();
    assert!(
        ran.status.success(),
        "on-jemalloc ended with {}:\n{}",
        ran.status,
        ran.output
    );
    for expected in [
        "___ Begin jemalloc statistics ___",
        "--- End jemalloc statistics ---",
    ] {
        assert!(
            ran.output.contains(expected),
            "stats_print:true should print `{expected}` at exit; the output:\n{}",
            ran.output
        );
    }
    // The statistics count the process's own allocations, which the test does not control: the
    // recording keeps the lines that do not move.
    let kept: String = ran
        .output
        .lines()
        .filter(|line| {
            line.contains("statistics") || line.starts_with("Version") || line.contains("opt.junk")
        })
        .map(|line| format!("{line}\n"))
        .collect();
    check_transcript(
        "listings/ch18-finding-memory-bugs/01-memory-bugs/recorded/stats-print.txt",
        &format!(
            "$ _RJEM_MALLOC_CONF=stats_print:true ./on-jemalloc leak 2>&1 \\\n  \
             | grep -e statistics -e Version -e opt.junk\n{kept}"
        ),
    );
}
