//! The same measurements with jemalloc declared in the binary itself. `static-std` is built as
//! usual, with std linked in statically; `shared-std` is this same code built with
//! `cargo rustc --bin shared-std -- -C prefer-dynamic`, so that std is a shared library.

// ANCHOR: global
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    ch10_std_allocations::run();
}
// ANCHOR_END: global
