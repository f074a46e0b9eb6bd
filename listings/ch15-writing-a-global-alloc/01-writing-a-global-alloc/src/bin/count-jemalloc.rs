//! The counting allocator around jemalloc: the same counts as around System, served by jemalloc.

#[cfg(not(target_env = "msvc"))]
use ch03_probe::Probe;
#[cfg(not(target_env = "msvc"))]
use ch15_writing_a_global_alloc::{ThreadCounting, report};
#[cfg(not(target_env = "msvc"))]
use tikv_jemallocator::Jemalloc;

// jemalloc does not build for MSVC targets: there the binary declares nothing.
// ANCHOR: global
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: ThreadCounting<Jemalloc> = ThreadCounting::new(Jemalloc);
// ANCHOR_END: global

#[cfg(not(target_env = "msvc"))]
fn main() {
    report::known_allocations(&GLOBAL);
    report::worker_allocations(&GLOBAL);
    Probe::with_counter(&GLOBAL).report(&[100, 1 << 20]);
}

#[cfg(target_env = "msvc")]
fn main() {
    eprintln!("jemalloc does not support MSVC targets; this binary has nothing to count here");
    std::process::exit(2);
}
