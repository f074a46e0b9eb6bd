//! Runs with the distribution's jemalloc and mimalloc preloaded: each run proves its allocator,
//! and the report has a ratio with an interval for each.
// Linux with glibc only: LD_PRELOAD of the Debian libraries.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::Path;
use std::process::Command;

use allocator_try::{JEMALLOC_LIBRARY, JEMALLOC_PACKAGE, MIMALLOC_LIBRARY, MIMALLOC_PACKAGE};
use book_harness::c::CProgram;

const EXE: &str = env!("CARGO_BIN_EXE_allocator-try");

fn require(library: &str, package: &str) {
    assert!(
        Path::new(library).is_file(),
        "{library} is missing: install the Debian package {package} (apt-get install {package})"
    );
}

#[test]
#[ignore = "needs /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 (Debian package libjemalloc2), and /usr/lib/x86_64-linux-gnu/libmimalloc.so.2 (Debian package libmimalloc2.0): the second test command runs it"]
fn both_preloads_prove_themselves_and_get_a_ratio_with_an_interval() {
    require(JEMALLOC_LIBRARY, JEMALLOC_PACKAGE);
    require(MIMALLOC_LIBRARY, MIMALLOC_PACKAGE);
    let dir = book_harness::repo::target_dir().join("tmp");
    std::fs::create_dir_all(&dir).expect("a writable target directory");
    let source = dir.join("allocator-try-preloaded.c");
    std::fs::write(
        &source,
        "#include <stdlib.h>\nint main(void) {\n  for (int i = 0; i < 100000; i++) {\n    \
         free(malloc(16 + (size_t)(i % 512)));\n  }\n  return 0;\n}\n",
    )
    .expect("a writable scratch file");
    let program = CProgram::new("allocator-try-preloaded")
        .source(&source)
        .compile();
    let samples = dir.join(format!("allocator-try-{}.csv", std::process::id()));
    let output = Command::new(EXE)
        .arg("--rounds")
        .arg("4")
        .arg("--samples")
        .arg(&samples)
        .arg("--")
        .arg(&program)
        .output()
        .expect("the runner runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "expected results, saw {}:\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
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
    let written = std::fs::read_to_string(&samples).expect("the samples file");
    let parsed = allocator_try::from_csv(&written).expect("samples the runner can read back");
    assert_eq!(
        parsed.len(),
        12,
        "expected 3 allocators x 4 rounds, saw:\n{written}"
    );
}
