//! The right pattern: the library offers jemalloc behind a feature, and the binary declares it.

use ch03_probe::Probe;

// ANCHOR: global
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: ch09_library_that_offers::Jemalloc = ch09_library_that_offers::Jemalloc;
// ANCHOR_END: global

fn main() {
    println!("{}", ch09_library_that_offers::whisper("THE BINARY CHOSE"));
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    Probe::new().report(&sizes);
}
