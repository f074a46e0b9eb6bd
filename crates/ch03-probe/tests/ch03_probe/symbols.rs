//! The allocator symbols inside the two probe binaries, read from the files (debug builds).

use ch03_probe::symbols::{ArtifactSymbols, Presence};

const BOTH: [&str; 2] = [
    env!("CARGO_BIN_EXE_probe-system"),
    env!("CARGO_BIN_EXE_probe-jemalloc"),
];

fn symbols_of(exe: &str) -> ArtifactSymbols {
    ArtifactSymbols::read(exe).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn both_binaries_define_the_rust_alloc_shim() {
    for exe in BOTH {
        assert_eq!(
            symbols_of(exe).presence("__rust_alloc"),
            Presence::Defined,
            "{exe}"
        );
    }
}

#[test]
fn neither_binary_links_the_default_shim_because_both_declare_a_global_allocator() {
    // `__rdl_alloc` is std's System implementation behind `__rust_alloc` when no crate declares
    // `#[global_allocator]`. Both probes declare one (a `Counting` wrapper), so the linker drops it,
    // even in the binary whose wrapper forwards to System.
    for exe in BOTH {
        assert_eq!(
            symbols_of(exe).presence("__rdl_alloc"),
            Presence::Absent,
            "{exe}"
        );
    }
}

// Not on MSVC: jemalloc is not built there, so there is no jemalloc binary to read.
#[cfg(not(target_env = "msvc"))]
#[test]
fn only_the_jemalloc_binary_defines_jemallocs_malloc() {
    // Both binaries link jemalloc (the probe reads its counters through `mallctl`), but only the
    // one that allocates with it keeps `_rjem_malloc` after the linker drops unused code.
    let system = symbols_of(env!("CARGO_BIN_EXE_probe-system"));
    let jemalloc = symbols_of(env!("CARGO_BIN_EXE_probe-jemalloc"));
    assert_eq!(system.presence("_rjem_mallctl"), Presence::Defined);
    assert_eq!(jemalloc.presence("_rjem_mallctl"), Presence::Defined);
    assert_eq!(system.presence("_rjem_malloc"), Presence::Absent);
    assert_eq!(jemalloc.presence("_rjem_malloc"), Presence::Defined);
}

// Not on MSVC: jemalloc is not built there, so there is no jemalloc binary to read.
#[cfg(not(target_env = "msvc"))]
#[test]
fn neither_binary_replaces_c_malloc() {
    // The root workspace's jemalloc is prefixed, so `malloc` stays the C library's: imported.
    for exe in BOTH {
        assert_eq!(
            symbols_of(exe).presence("malloc"),
            Presence::Imported,
            "{exe}"
        );
    }
}
