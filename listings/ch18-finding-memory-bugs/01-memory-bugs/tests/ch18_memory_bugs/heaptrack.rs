//! heaptrack on the listing's leak, on System and on jemalloc. heaptrack preloads a library that
//! wraps C's `malloc` and `free`: like memcheck, it sees the blocks that pass through them.
// heaptrack and glibc's allocator: Linux with glibc only.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::PathBuf;
use std::process::Command;

use ch18_memory_bugs::LEAKED;

/// heaptrack's summary of `binary leak`: the lines `heaptrack_print` ends with.
fn heaptrack_summary(binary: &str, exe: &str) -> String {
    let heaptrack = book_harness::tools::require("heaptrack", "heaptrack");
    let print = book_harness::tools::require("heaptrack_print", "heaptrack");
    let dir: PathBuf = book_harness::repo::target_dir().join("tmp/ch18-heaptrack");
    std::fs::create_dir_all(&dir).expect("a writable target directory");
    let data = dir.join(binary);
    let _ = std::fs::remove_file(data.with_extension("zst"));
    let run = Command::new(heaptrack)
        .arg("-o")
        .arg(&data)
        .args([exe, "leak"])
        .output()
        .expect("heaptrack starts");
    assert!(
        run.status.success(),
        "heaptrack {binary} leak ended with {}:\n{}{}",
        run.status,
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let printed = Command::new(print)
        .arg(data.with_extension("zst"))
        .output()
        .expect("heaptrack_print starts");
    let text = String::from_utf8_lossy(&printed.stdout).into_owned();
    assert!(
        printed.status.success(),
        "heaptrack_print ended with {}:\n{text}",
        printed.status
    );
    text
}

/// The bytes of heaptrack's `total memory leaked: 4.64K` line (K, M and G are powers of 1000).
fn leaked(summary: &str) -> f64 {
    let value = summary
        .lines()
        .find_map(|line| line.strip_prefix("total memory leaked: "))
        .unwrap_or_else(|| {
            panic!("heaptrack_print printed no `total memory leaked:` line:\n{summary}")
        });
    let (number, scale) = match value.trim().chars().last() {
        Some('K') => (&value[..value.len() - 1], 1e3),
        Some('M') => (&value[..value.len() - 1], 1e6),
        Some('G') => (&value[..value.len() - 1], 1e9),
        _ => (value.trim_end_matches('B'), 1.0),
    };
    number
        .parse::<f64>()
        .unwrap_or_else(|err| panic!("no number in `total memory leaked: {value}`: {err}"))
        * scale
}

#[test]
#[ignore = "needs heaptrack (Debian package heaptrack): the second test command runs it"]
fn heaptrack_sees_the_leak_on_system() {
    let summary = heaptrack_summary("on-system", env!("CARGO_BIN_EXE_on-system"));
    let leaked = leaked(&summary);
    assert!(
        leaked >= LEAKED as f64,
        "heaptrack should count the {LEAKED} forgotten bytes as leaked; it says {leaked}:\n{summary}"
    );
}

#[test]
#[ignore = "needs heaptrack (Debian package heaptrack): the second test command runs it"]
fn heaptrack_misses_the_leak_on_jemalloc() {
    let summary = heaptrack_summary("on-jemalloc", env!("CARGO_BIN_EXE_on-jemalloc"));
    let leaked = leaked(&summary);
    assert!(
        leaked < LEAKED as f64,
        "heaptrack should not see jemalloc's {LEAKED}-byte block; it says {leaked} bytes leaked:\n\
         {summary}"
    );
}

#[test]
fn heaptrack_sizes_are_read() {
    assert_eq!(leaked("total memory leaked: 4.64K\n"), 4640.0);
    assert_eq!(leaked("total memory leaked: 544B\n"), 544.0);
    assert_eq!(leaked("total memory leaked: 1.50M\n"), 1.5e6);
}
