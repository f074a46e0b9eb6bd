//! A library that chooses the global allocator for every program that links it. This is the
//! pattern chapter 9 warns against: a binary that uses it cannot choose any more.

// ANCHOR: global
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
// ANCHOR_END: global

/// What the library is for; the allocator came along unasked.
///
/// ```
/// use ch03_probe::{Probe, Verdict};
///
/// // This example is a program that links the library: the library's choice serves it.
/// assert_eq!(ch09_library_that_chooses::shout("quiet"), "QUIET");
/// let reading = Probe::new().measure(100);
/// // Linux with glibc only: there the probe reads both allocators' counters.
/// if cfg!(all(target_os = "linux", target_env = "gnu")) {
///     assert_eq!(reading.verdict(), Verdict::Jemalloc, "{reading}");
/// }
/// ```
pub fn shout(text: &str) -> String {
    text.to_uppercase()
}
