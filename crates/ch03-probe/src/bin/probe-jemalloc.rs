//! The probe in a binary whose global allocator is jemalloc: it measures itself and prints one
//! reading per size (default: 100 B and 1 MiB; or the sizes given as arguments).

#[cfg(not(target_env = "msvc"))]
use ch03_probe::{Counting, Probe};
#[cfg(not(target_env = "msvc"))]
use tikv_jemallocator::Jemalloc;

// jemalloc does not build for MSVC targets: there the binary declares nothing.
// ANCHOR: global
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: Counting<Jemalloc> = Counting::new(Jemalloc);
// ANCHOR_END: global

#[cfg(not(target_env = "msvc"))]
fn main() {
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    Probe::with_counter(&GLOBAL).report(&sizes);
}

#[cfg(target_env = "msvc")]
fn main() {
    eprintln!("jemalloc does not support MSVC targets; this binary has nothing to measure here");
    std::process::exit(2);
}
