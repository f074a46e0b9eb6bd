//! Which of glibc's functions `System` calls for each kind of request, seen by an LD_PRELOAD
//! tracer around a binary that declares no global allocator.
// Linux with glibc only: the LD_PRELOAD tracer wraps glibc's `__libc_malloc` family.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::PathBuf;
use std::sync::OnceLock;

use book_harness::c::CProgram;
use book_harness::recorded::{Ran, Recording};

/// Builds `c/trace_malloc.c` into a shared library (with the book's warnings as errors), once.
fn tracer() -> &'static PathBuf {
    static TRACER: OnceLock<PathBuf> = OnceLock::new();
    TRACER.get_or_init(|| {
        CProgram::new("libtrace_malloc.so")
            .flag("-shared")
            .flag("-fPIC")
            .source("listings/ch16-platforms/01-platforms/c/trace_malloc.c")
            .compile()
    })
}

/// The traced run of `system-calls`, checked against its recording, once.
fn traced() -> &'static Ran {
    static RAN: OnceLock<Ran> = OnceLock::new();
    RAN.get_or_init(|| {
        let library = tracer().to_string_lossy().into_owned();
        let ran = Recording::cargo_run(
            "ch16-platforms",
            "system-calls",
            env!("CARGO_BIN_EXE_system-calls"),
        )
        .env("LD_PRELOAD", &library)
        .check("listings/ch16-platforms/01-platforms/recorded/system-calls.txt");
        assert!(ran.status.success(), "{}", ran.output);
        ran
    })
}

/// The C calls traced under the step labelled `label`.
fn calls(label: &str) -> Vec<String> {
    let output = &traced().output;
    let mut lines = output.lines().skip_while(|line| *line != label);
    assert!(lines.next().is_some(), "no step `{label}` in:\n{output}");
    lines
        .take_while(|line| line.starts_with("  "))
        .map(|line| line.trim().to_owned())
        .collect()
}

#[test]
fn an_ordinary_allocation_is_malloc_then_free() {
    assert_eq!(calls("Box::new([7u8; 100])"), ["malloc(100)", "free()"]);
}

#[test]
fn a_zeroed_allocation_is_calloc() {
    assert_eq!(calls("vec![0u8; 5000]"), ["calloc(5000, 1)", "free()"]);
}

#[test]
fn growing_a_block_is_realloc() {
    assert_eq!(
        calls("Vec::with_capacity(100), then reserve_exact(8000)"),
        ["malloc(100)", "realloc(8000)", "free()"]
    );
}

#[test]
fn an_over_aligned_allocation_is_posix_memalign() {
    assert_eq!(
        calls("alloc: 100 bytes aligned to 4096"),
        ["posix_memalign(4096, 100)", "free()"]
    );
}

#[test]
fn an_over_aligned_zeroed_allocation_is_posix_memalign_not_calloc() {
    // calloc cannot align; System zeroes the block itself.
    assert_eq!(
        calls("alloc_zeroed: 100 bytes aligned to 4096"),
        ["posix_memalign(4096, 100)", "free()"]
    );
}

#[test]
fn an_over_aligned_realloc_allocates_anew_and_frees_the_old_block() {
    // realloc cannot keep an alignment above malloc's; System allocates, copies and frees.
    assert_eq!(
        calls("realloc: 100 to 8000 bytes aligned to 4096"),
        [
            "posix_memalign(4096, 100)",
            "posix_memalign(4096, 8000)",
            "free()",
            "free()"
        ]
    );
}
