//! The allocator symbols inside this listing's two binaries, read from the files (debug builds).

use ch03_probe::symbols::{ArtifactSymbols, Presence};

const DEFAULT: &str = env!("CARGO_BIN_EXE_ch04-default");
const EXPLICIT: &str = env!("CARGO_BIN_EXE_explicit-system");

fn symbols_of(exe: &str) -> ArtifactSymbols {
    ArtifactSymbols::read(exe).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn the_default_binary_links_stds_system_shim() {
    // With no #[global_allocator] anywhere, `__rust_alloc` forwards to `__rdl_alloc`, std's code
    // that calls System.
    let symbols = symbols_of(DEFAULT);
    assert_eq!(symbols.presence("__rust_alloc"), Presence::Defined);
    assert_eq!(symbols.presence("__rdl_alloc"), Presence::Defined);
}

#[test]
fn an_explicit_system_static_replaces_the_default_shim() {
    // The static is a #[global_allocator]: `__rust_alloc` calls `<System as GlobalAlloc>::alloc`
    // directly and the linker drops `__rdl_alloc`.
    let symbols = symbols_of(EXPLICIT);
    assert_eq!(symbols.presence("__rust_alloc"), Presence::Defined);
    assert_eq!(symbols.presence("__rdl_alloc"), Presence::Absent);
}

// Linux with glibc only: `malloc` must be an import from glibc, read from the ELF file.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn neither_binary_allocates_with_jemalloc_or_defines_malloc() {
    // Both link the probe's prefixed jemalloc to read its counters, but nothing allocates with it,
    // and C's `malloc` is imported from glibc.
    for exe in [DEFAULT, EXPLICIT] {
        let symbols = symbols_of(exe);
        assert_eq!(symbols.presence("_rjem_malloc"), Presence::Absent, "{exe}");
        assert_eq!(symbols.presence("malloc"), Presence::Imported, "{exe}");
    }
}
