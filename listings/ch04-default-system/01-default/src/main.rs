//! A binary that declares no `#[global_allocator]`, so Rust's default applies. It measures who
//! serves its allocations and prints one reading per size given as an argument.

// ANCHOR: main
fn main() {
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    ch03_probe::Probe::new().report(&sizes);
}
// ANCHOR_END: main
