//! No `#[global_allocator]`, and nothing from jemalloc is called: the binary only names
//! tikv-jemalloc-sys, so that rustc links it.

// ANCHOR: link
use tikv_jemalloc_sys as _;
// ANCHOR_END: link

fn main() {
    ch08_unprefixed::report_glibc_only();
}
