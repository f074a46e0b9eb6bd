//! What the 1.71 and 1.87 shim changes left in a binary built today, read from `modern-system`.

use ch03_probe::symbols::{ArtifactSymbols, Presence};

fn modern() -> ArtifactSymbols {
    ArtifactSymbols::read(env!("CARGO_BIN_EXE_modern-system")).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn the_shim_is_mangled_under_the_rustc_path() {
    // Since Rust 1.87 the shim's symbols carry a mangled `__rustc::` path; the plain C-style
    // name that tools like Chromium's build relied on is gone.
    let symbols = modern();
    assert!(
        symbols.names().any(|name| name == "__rustc::__rust_alloc"),
        "no __rustc::__rust_alloc in the binary"
    );
    assert!(
        !symbols.names().any(|name| name == "__rust_alloc"),
        "an unmangled __rust_alloc is still there"
    );
}

#[test]
fn the_global_allocator_defines_the_shim_without_rg_symbols() {
    // Before Rust 1.71, `#[global_allocator]` expanded to `__rg_alloc` and friends, which a
    // generated shim called; now the expansion defines `__rust_alloc` itself.
    let symbols = modern();
    assert_eq!(symbols.presence("__rust_alloc"), Presence::Defined);
    let rg: Vec<&str> = symbols
        .names()
        .filter(|name| name.contains("__rg_"))
        .collect();
    assert!(rg.is_empty(), "{rg:?}");
    // And std's default (`__rdl_alloc`) is not linked, because the binary declared an allocator.
    assert_eq!(symbols.presence("__rdl_alloc"), Presence::Absent);
}
