//! A binary whose global allocator is jemalloc, wherever jemalloc builds. It measures who serves
//! its allocations and prints one reading per size given as an argument.

// ANCHOR: global
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
// ANCHOR_END: global

fn main() {
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    ch03_probe::Probe::new().report(&sizes);
}
