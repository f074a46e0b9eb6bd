//! No `#[global_allocator]`: Rust's allocations go to `System`, which calls C's `malloc`. The probe
//! links tikv-jemalloc-sys to read jemalloc's counters, and in this workspace jemalloc is built
//! unprefixed, so that `malloc` is jemalloc's.

fn main() {
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    ch03_probe::Probe::new().report(&sizes);
}
