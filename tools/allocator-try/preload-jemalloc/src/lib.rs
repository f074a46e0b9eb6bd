//! A library to preload (`LD_PRELOAD`) that serves C's `malloc` and its family with jemalloc:
//! chapter 14's configuration (tikv-jemalloc-sys with its defaults, prefixed `_rjem_`), not
//! chapter 8's unprefixed one, which would define `malloc` in jemalloc's own C code, where these
//! counting exports could not stand. `allocator-try` builds it.

/// The name the evidence line starts with.
const NAME: &str = "jemalloc";

#[path = "../../preload-exports.rs"]
mod exports;

/// jemalloc's prefixed C API.
mod backend {
    use core::ffi::c_void;
    pub use tikv_jemalloc_sys::{calloc, free, malloc, realloc};

    /// # Safety
    /// `align` is a power of two and a multiple of the pointer size.
    pub unsafe fn aligned(align: usize, size: usize) -> *mut c_void {
        let mut ptr = core::ptr::null_mut();
        // SAFETY: `ptr` is valid for a write; the caller gives a valid alignment.
        match unsafe { tikv_jemalloc_sys::posix_memalign(&mut ptr, align, size) } {
            0 => ptr,
            _ => core::ptr::null_mut(),
        }
    }

    /// # Safety
    /// `ptr` is a live allocation of jemalloc.
    pub unsafe fn usable_size(ptr: *mut c_void) -> usize {
        // SAFETY: as the caller promises.
        unsafe { tikv_jemalloc_sys::malloc_usable_size(ptr) }
    }
}
