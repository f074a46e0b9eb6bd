//! The allocator symbols inside the jemalloc binary, read from the file (debug build).
// Not on MSVC: jemalloc is not built there, so there is no jemalloc binary to read.
#![cfg(not(target_env = "msvc"))]

use ch03_probe::symbols::{ArtifactSymbols, Presence};

fn symbols() -> ArtifactSymbols {
    ArtifactSymbols::read(env!("CARGO_BIN_EXE_ch05-jemalloc")).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn the_binary_allocates_with_prefixed_jemalloc() {
    let symbols = symbols();
    assert_eq!(symbols.presence("__rust_alloc"), Presence::Defined);
    assert_eq!(symbols.presence("_rjem_malloc"), Presence::Defined);
    // A #[global_allocator] is declared, so std's default shim is not linked.
    assert_eq!(symbols.presence("__rdl_alloc"), Presence::Absent);
}

// Linux with glibc only: `malloc` must be an import from glibc, read from the ELF file.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn c_malloc_is_still_glibcs() {
    // tikv-jemallocator's default build prefixes jemalloc's functions, so `malloc` is imported.
    assert_eq!(symbols().presence("malloc"), Presence::Imported);
}
