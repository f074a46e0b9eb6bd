//! `ch08-names-only` again, linked by the GNU linker instead of rustc's default (see build.rs).

use tikv_jemalloc_sys as _;

fn main() {
    ch08_unprefixed::report_glibc_only();
}
