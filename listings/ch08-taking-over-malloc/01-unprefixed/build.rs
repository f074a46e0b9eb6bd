//! Links `ch08-names-only-gnu-ld` with the GNU linker (`ld.bfd`). Since Rust 1.90, rustc links
//! x86_64 Linux binaries with its bundled `lld` by default; the two linkers pull members out of
//! static archives by different rules, and that is where `override_allocator_on_supported_platforms`
//! matters (chapter 8).

fn main() {
    println!("cargo::rustc-link-arg-bin=ch08-names-only-gnu-ld=-fuse-ld=bfd");
}
