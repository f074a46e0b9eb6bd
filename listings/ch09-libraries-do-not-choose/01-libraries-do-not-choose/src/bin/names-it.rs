//! Calls one function of `ch09-library-that-chooses`: the library is linked, and its
//! `#[global_allocator]` now serves this whole program.

use ch03_probe::Probe;

// ANCHOR: main
fn main() {
    println!(
        "{}",
        ch09_library_that_chooses::shout("the library is linked")
    );
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    Probe::new().report(&sizes);
}
// ANCHOR_END: main
