//! A library that chooses the global allocator for every program that links it. This is the
//! pattern chapter 9 warns against: a binary that uses it cannot choose any more.

// ANCHOR: global
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
// ANCHOR_END: global

/// What the library is for; the allocator came along unasked.
pub fn shout(text: &str) -> String {
    text.to_uppercase()
}
