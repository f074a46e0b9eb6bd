//! A library that lets the binary choose. With the `jemalloc` feature it re-exports the allocator
//! it is tuned for, and its documentation says how to declare it; it declares nothing itself.

// ANCHOR: offer
/// The allocator this library is tuned for, offered with the `jemalloc` feature.
/// Declare it in your binary, if you want it:
///
/// ```
/// # #[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
/// use ch09_library_that_offers::Jemalloc;
///
/// # #[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
/// #[global_allocator]
/// static GLOBAL: Jemalloc = Jemalloc;
/// # fn main() {}
/// ```
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
pub use tikv_jemallocator::Jemalloc;
// ANCHOR_END: offer

/// What the library is for.
///
/// ```
/// use ch03_probe::{Probe, Verdict};
///
/// // This example links the library and declares no allocator: System serves it.
/// assert_eq!(ch09_library_that_offers::whisper("LOUD"), "loud");
/// let reading = Probe::new().measure(100);
/// // Linux with glibc only: there the probe reads both allocators' counters.
/// if cfg!(all(target_os = "linux", target_env = "gnu")) {
///     assert_eq!(reading.verdict(), Verdict::System, "{reading}");
/// }
/// ```
pub fn whisper(text: &str) -> String {
    text.to_lowercase()
}
