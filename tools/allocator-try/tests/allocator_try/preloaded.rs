//! Runs with the preload libraries built here from crates (debug builds, which reuse chapter 14's
//! jemalloc and mimalloc builds): each run proves, at its exit, that the preloaded allocator served
//! its allocations, and the report has a ratio with an interval for each.
// Linux with glibc only: LD_PRELOAD, and the C program built with gcc.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use allocator_try::{Allocator, allocations};
use book_harness::c::CProgram;
use book_harness::separate_workspace::SeparateWorkspace;

const EXE: &str = env!("CARGO_BIN_EXE_allocator-try");

/// Builds the preload library of `allocator` in debug, and returns its path.
fn preload_library(allocator: Allocator) -> PathBuf {
    let package = allocator.preload_package().expect("a preloaded allocator");
    let workspace = SeparateWorkspace::at(format!("tools/allocator-try/{package}"));
    workspace.cargo(&["build"]).assert_success();
    let library = workspace
        .target_dir()
        .join(format!("debug/lib{}.so", package.replace('-', "_")));
    assert!(library.is_file(), "expected {}", library.display());
    library
}

/// A C program that makes 100 000 allocations, built once for both tests.
fn allocating_program() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(build_allocating_program).clone()
}

fn build_allocating_program() -> PathBuf {
    let dir = book_harness::repo::target_dir().join("tmp");
    std::fs::create_dir_all(&dir).expect("a writable target directory");
    let source = dir.join("allocator-try-preloaded.c");
    std::fs::write(
        &source,
        "#include <stdlib.h>\nint main(void) {\n  for (int i = 0; i < 100000; i++) {\n    \
         free(malloc(16 + (size_t)(i % 512)));\n  }\n  return 0;\n}\n",
    )
    .expect("a writable scratch file");
    CProgram::new("allocator-try-preloaded")
        .source(&source)
        .compile()
}

// ANCHOR: evidence_test
#[test]
fn each_preload_library_counts_the_allocations_it_served() {
    let program = allocating_program();
    for allocator in [Allocator::Jemalloc, Allocator::Mimalloc] {
        let library = preload_library(allocator);
        let evidence = program.with_extension(format!("{allocator}.evidence"));
        let file = std::fs::File::create(&evidence).expect("a writable evidence file");
        // The child gets the file as its descriptor 3 (the shell's `3>file`).
        let output = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" 3>\"$1\"")
            .arg(&program)
            .arg(&evidence)
            .env("LD_PRELOAD", &library)
            .env(allocator_try::EVIDENCE_FD, "3")
            .output()
            .expect("sh runs");
        drop(file);
        assert!(output.status.success(), "{allocator}: {output:?}");
        let written = std::fs::read_to_string(&evidence).expect("the evidence file");
        let line = written.lines().next().unwrap_or_default();
        let mut fields = line.split(' ');
        let (name, pid) = (fields.next(), fields.next().and_then(|p| p.parse().ok()));
        assert_eq!(name, Some(allocator.name()), "saw {written:?}");
        let count = pid.and_then(|pid| allocations(&written, allocator, pid));
        // The program's loop makes 100 000 allocations; the loader and libc add some.
        assert!(
            count.is_some_and(|n| (100_000..101_000).contains(&n)),
            "expected 100000 allocations and a few more from {allocator}, \
             saw {written:?}"
        );
    }
}
// ANCHOR_END: evidence_test

#[test]
fn both_preloads_prove_themselves_and_get_a_ratio_with_an_interval() {
    let program = allocating_program();
    let jemalloc = preload_library(Allocator::Jemalloc);
    let mimalloc = preload_library(Allocator::Mimalloc);
    let dir = program.parent().expect("a directory").to_owned();
    let samples = dir.join(format!("allocator-try-{}.csv", std::process::id()));
    let plot = dir.join(format!("allocator-try-{}.svg", std::process::id()));
    let output = Command::new(EXE)
        .arg("--rounds")
        .arg("4")
        .arg("--jemalloc-lib")
        .arg(&jemalloc)
        .arg("--mimalloc-lib")
        .arg(&mimalloc)
        .arg("--samples")
        .arg(&samples)
        .arg("--svg")
        .arg(&plot)
        .arg("--")
        .arg(&program)
        .output()
        .expect("the runner runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "expected results, saw {}:\n{stdout}\n{stderr}",
        output.status
    );
    for allocator in ["jemalloc", "mimalloc"] {
        let row = stdout
            .lines()
            .find(|line| line.starts_with(allocator))
            .unwrap_or_else(|| panic!("expected a {allocator} row, saw:\n{stdout}"));
        assert!(
            row.contains(" 4 ") && row.contains('(') && row.contains('-'),
            "expected 4 runs and a ratio with an interval for {allocator}, saw: {row}"
        );
    }
    assert!(
        stderr.contains(&format!("[{}] 12/12 runs", "#".repeat(30))),
        "expected a full progress bar on stderr, saw:\n{stderr}"
    );
    let written = std::fs::read_to_string(&samples).expect("the samples file");
    let parsed = allocator_try::from_csv(&written).expect("samples the runner can read back");
    assert_eq!(
        parsed.len(),
        12,
        "expected 3 allocators x 4 rounds, saw:\n{written}"
    );
    let svg = std::fs::read_to_string(&plot).expect("the SVG file");
    assert_eq!(
        svg.matches("<circle").count(),
        12,
        "expected a dot per run, saw:\n{svg}"
    );
    let _ = std::fs::remove_file(samples);
    let _ = std::fs::remove_file(plot);
}

#[test]
fn json_output_has_a_ratio_and_an_interval_for_the_preloaded_allocator() {
    let program = allocating_program();
    let mimalloc = preload_library(Allocator::Mimalloc);
    let output = Command::new(EXE)
        .args([
            "--rounds",
            "3",
            "--only",
            "mimalloc",
            "--json",
            "--mimalloc-lib",
        ])
        .arg(&mimalloc)
        .arg("--")
        .arg(&program)
        .output()
        .expect("the runner runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|err| panic!("expected one line of JSON, saw {err}:\n{stdout}"));
    let rows = json["allocators"].as_array().expect("an allocators array");
    let names: Vec<&str> = rows
        .iter()
        .filter_map(|r| r["allocator"].as_str())
        .collect();
    assert_eq!(names, ["System", "mimalloc"], "in {json}");
    assert!(rows[0]["versus_system"].is_null(), "in {json}");
    let versus = &rows[1]["versus_system"];
    assert!(
        ["ratio", "low", "high"].iter().all(|k| versus[k].is_f64())
            && versus["finding"].is_string(),
        "expected a ratio, an interval and a finding for mimalloc, saw {json}"
    );
    assert_eq!(json["rounds"], 3, "in {json}");
}
