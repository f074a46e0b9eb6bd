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
pub fn whisper(text: &str) -> String {
    text.to_lowercase()
}
