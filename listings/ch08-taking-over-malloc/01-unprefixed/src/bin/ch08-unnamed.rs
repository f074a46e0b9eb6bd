//! tikv-jemalloc-sys is in this package's `[dependencies]`, but this binary never names it.

fn main() {
    ch08_unprefixed::report_glibc_only();
}
