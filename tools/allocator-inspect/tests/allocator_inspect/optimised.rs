//! What release settings do to the evidence: link-time optimisation inlines std's default
//! `__rdl_alloc` away, and stripping leaves only the dynamic symbols.
// Linux with glibc only: the programs are read as 64-bit ELF files.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::PathBuf;

use allocator_inspect::{CMalloc, RustAllocator, inspect};

/// A program without a #[global_allocator], compiled with `args`.
fn compiled(name: &str, args: &[&str]) -> PathBuf {
    let dir = book_harness::rustc::out_dir();
    let source = dir.join("allocator-inspect-default.rs");
    std::fs::write(
        &source,
        "fn main() {\n    let v: Vec<u8> = Vec::with_capacity(std::env::args().count() * 1000);\n    \
         println!(\"{}\", v.capacity());\n}\n",
    )
    .expect("a writable fixtures directory");
    book_harness::rustc::compile(&source, name, args)
}

fn rust_verdict(path: &PathBuf) -> (RustAllocator, CMalloc) {
    let inspection = inspect(path).unwrap_or_else(|err| panic!("{err}"));
    (inspection.verdict.rust, inspection.verdict.malloc)
}

#[test]
fn an_optimised_build_keeps_the_default_and_lto_hides_it() {
    let optimised = compiled("allocator-inspect-o", &["-O"]);
    assert_eq!(
        rust_verdict(&optimised),
        (RustAllocator::SystemDefault, CMalloc::Imported)
    );
    let lto = compiled("allocator-inspect-lto", &["-O", "-C", "lto=fat"]);
    assert_eq!(
        rust_verdict(&lto),
        (RustAllocator::Declared, CMalloc::Imported),
        "expected LTO to inline __rdl_alloc away, so that the default looks declared"
    );
}

#[test]
fn a_stripped_rust_program_is_unknown_not_none() {
    let stripped = compiled("allocator-inspect-stripped", &["-C", "strip=symbols"]);
    let inspection = inspect(&stripped).unwrap_or_else(|err| panic!("{err}"));
    assert!(!inspection.symbol_table, "{inspection}");
    assert_eq!(
        inspection.verdict.rust,
        RustAllocator::Unknown,
        "{inspection}"
    );
}
