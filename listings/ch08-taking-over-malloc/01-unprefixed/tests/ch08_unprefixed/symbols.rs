//! The symbols that make the takeover work, read from the built binary (debug build).
// Linux with glibc only: it reads how the ELF binary resolves `malloc` against glibc.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::process::Command;

use ch03_probe::symbols::{ArtifactSymbols, Presence};

const C_HEAP: &str = env!("CARGO_BIN_EXE_ch08-c-heap");

#[test]
fn the_binary_defines_unprefixed_malloc_and_no_prefixed_one() {
    let symbols = ArtifactSymbols::read(C_HEAP).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(symbols.presence("malloc"), Presence::Defined);
    assert_eq!(symbols.presence("free"), Presence::Defined);
    assert_eq!(symbols.presence("_rjem_malloc"), Presence::Absent);
}

#[test]
fn the_binary_exports_malloc_and_free_to_the_c_library() {
    // Defined is not enough for glibc's own calls (strdup's malloc) to reach jemalloc: the symbols
    // must be in the dynamic symbol table, where the dynamic linker looks first in the executable.
    let nm = book_harness::tools::require("nm", "binutils");
    let output = Command::new(nm)
        .args(["-D", "--defined-only", C_HEAP])
        .output()
        .expect("nm runs");
    let exported: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().nth(2).map(str::to_owned))
        .collect();
    for name in ["malloc", "free", "calloc", "realloc"] {
        assert!(
            exported.iter().any(|e| e == name),
            "`{name}` is not in the dynamic symbol table: {exported:?}"
        );
    }
}
