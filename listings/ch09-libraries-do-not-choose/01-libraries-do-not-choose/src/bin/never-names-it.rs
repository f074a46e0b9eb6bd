//! Lists `ch09-library-that-chooses` in `[dependencies]` but never names it in code: the
//! library is not linked, and neither is its `#[global_allocator]`.

use ch03_probe::Probe;

// ANCHOR: main
fn main() {
    let sizes = ch03_probe::probe::sizes_from_args(std::env::args().skip(1));
    Probe::new().report(&sizes);
}
// ANCHOR_END: main
