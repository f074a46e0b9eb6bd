//! One binary, two allocators: the `jemalloc` feature selects jemalloc at build time, and System
//! stays the allocator without it or where jemalloc does not build (MSVC). The binary says which
//! one it was built with, then measures who serves its allocations, one reading per size.

// ANCHOR: global
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
// ANCHOR_END: global

/// The allocator this build declared, from the same condition as the static above.
const CHOSEN: &str = if cfg!(all(feature = "jemalloc", not(target_env = "msvc"))) {
    "jemalloc"
} else {
    "System"
};

fn main() {
    println!("allocator chosen at build time: {CHOSEN}");
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    ch03_probe::Probe::new().report(&sizes);
}
