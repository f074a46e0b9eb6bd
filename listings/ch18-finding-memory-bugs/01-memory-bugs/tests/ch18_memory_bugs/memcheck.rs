//! Valgrind's memcheck on the listing's two bugs, on System and on jemalloc. memcheck replaces C's
//! `malloc` and `free` to watch every block: it finds both bugs on System, and neither on jemalloc,
//! whose blocks never pass through `malloc` (chapter 5's
//! `listings/ch05-switching-to-jemalloc/01-jemalloc/tests/ch05_jemalloc/memcheck.rs` counts the allocations it sees).
// Valgrind and glibc's allocator: Linux with glibc only.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::process::Command;
use std::sync::LazyLock;

use book_harness::recorded::check_transcript;
use ch18_memory_bugs::{BLOCK, LEAKED};
use regex::Regex;

/// The lines of memcheck's report that the book shows: the filter of the shown command.
const SHOWN: &str = "Invalid|after|lost|possible|SUMMARY";

/// memcheck's `==<pid>==` prefix.
static PID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"==\d+==").expect("a valid regex"));

/// memcheck's report (its stderr) on `binary` running `bug`; the program itself must finish.
fn memcheck(binary: &str, exe: &str, bug: &str) -> String {
    let valgrind = book_harness::tools::require("valgrind", "valgrind");
    let output = Command::new(valgrind)
        .arg(exe)
        .arg(bug)
        .output()
        .expect("valgrind starts");
    let report = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success() && String::from_utf8_lossy(&output.stdout) == "done\n",
        "{binary} {bug} under memcheck should finish and print `done`; it ended with {}:\n{report}",
        output.status
    );
    report
}

/// Compares the lines of `report` that the book shows with the recording of `binary` `bug`.
fn check_recording(binary: &str, bug: &str, report: &str) {
    // The book shows the lines that the shown command's grep keeps, with the pid hidden.
    let shown = Regex::new(SHOWN).expect("a valid regex");
    let excerpt: String = report
        .lines()
        .filter(|line| shown.is_match(line))
        .map(|line| format!("{}\n", PID.replace(line, "==<pid>==")))
        .collect();
    check_transcript(
        format!(
            "listings/ch18-finding-memory-bugs/01-memory-bugs/recorded/memcheck-{binary}-{bug}.txt"
        ),
        &format!("$ valgrind ./{binary} {bug} 2>&1 | grep -E '{SHOWN}'\n{excerpt}"),
    );
}

fn on_system(bug: &str) -> String {
    memcheck("on-system", env!("CARGO_BIN_EXE_on-system"), bug)
}

fn on_jemalloc(bug: &str) -> String {
    memcheck("on-jemalloc", env!("CARGO_BIN_EXE_on-jemalloc"), bug)
}

#[test]
#[ignore = "needs valgrind (Debian package valgrind): the second test command runs it"]
fn memcheck_reports_the_overflow_on_system() {
    let report = on_system("overflow");
    for expected in [
        "Invalid write of size 1".to_owned(),
        "ch18_memory_bugs::overflow_by_one".to_owned(),
        format!("is 0 bytes after a block of size {BLOCK} alloc'd"),
        "ERROR SUMMARY: 1 errors from 1 contexts".to_owned(),
    ] {
        assert!(
            report.contains(&expected),
            "memcheck should report the write one byte past the {BLOCK}-byte block with \
             `{expected}`; its report:\n{report}"
        );
    }
    check_recording("on-system", "overflow", &report);
}

#[test]
#[ignore = "needs valgrind (Debian package valgrind): the second test command runs it"]
fn memcheck_misses_the_overflow_on_jemalloc() {
    let report = on_jemalloc("overflow");
    assert!(
        report.contains("ERROR SUMMARY: 0 errors") && !report.contains("Invalid write"),
        "memcheck should see no error: jemalloc's block never passed through malloc; its report:\n\
         {report}"
    );
    check_recording("on-jemalloc", "overflow", &report);
}

#[test]
#[ignore = "needs valgrind (Debian package valgrind): the second test command runs it"]
fn memcheck_reports_the_leak_on_system() {
    let report = on_system("leak");
    let expected = format!("definitely lost: {} bytes in 1 blocks", thousands(LEAKED));
    assert!(
        report.contains(&expected),
        "memcheck should report the forgotten {LEAKED}-byte block as `{expected}`; its report:\n\
         {report}"
    );
    check_recording("on-system", "leak", &report);
}

#[test]
#[ignore = "needs valgrind (Debian package valgrind): the second test command runs it"]
fn memcheck_misses_the_leak_on_jemalloc() {
    let report = on_jemalloc("leak");
    assert!(
        report.contains("All heap blocks were freed -- no leaks are possible"),
        "memcheck should see no leak: it never saw jemalloc's block; its report:\n{report}"
    );
    check_recording("on-jemalloc", "leak", &report);
}

/// `4096` as memcheck writes it: `4,096`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[test]
fn thousands_are_grouped_as_memcheck_groups_them() {
    assert_eq!(thousands(4096), "4,096");
    assert_eq!(thousands(32), "32");
    assert_eq!(thousands(1_234_567), "1,234,567");
}
