//! The same story in the files: jemalloc's allocation functions are linked into the binary that
//! names the library, and not into the one that does not. Checked on Linux, where the book's
//! symbol readings are verified.
// Linux only: the symbol readings are of ELF files, verified there.
#![cfg(target_os = "linux")]

use ch03_probe::symbols::{ArtifactSymbols, Presence};

fn presence(exe: &str, symbol: &str) -> Presence {
    ArtifactSymbols::read(exe)
        .unwrap_or_else(|err| panic!("{err}"))
        .presence(symbol)
}

#[test]
fn only_the_binaries_that_link_a_jemalloc_allocator_keep_its_malloc() {
    // All three link the probe, which reads jemalloc's counters: `_rjem_mallctl` is everywhere.
    // `_rjem_malloc` is kept only where something allocates with jemalloc.
    assert_eq!(
        presence(env!("CARGO_BIN_EXE_never-names-it"), "_rjem_malloc"),
        Presence::Absent
    );
    assert_eq!(
        presence(env!("CARGO_BIN_EXE_names-it"), "_rjem_malloc"),
        Presence::Defined
    );
    assert_eq!(
        presence(env!("CARGO_BIN_EXE_declares-it"), "_rjem_malloc"),
        Presence::Defined
    );
}
