//! The chapter's binary again, measuring allocations that std makes: it declares no allocator and
//! links the jemalloc dylib; std is a shared library.

// ANCHOR: links
// Names the dylib, so that it is linked (chapter 9): its allocator is the program's.
use ch10_jemalloc_dylib as _;
// ANCHOR_END: links

fn main() {
    ch10_std_allocations::run();
}
