//! A library to preload (`LD_PRELOAD`) that serves C's `malloc` and its family with mimalloc:
//! chapter 14's configuration (libmimalloc-sys with `extended`, prefixed `mi_`), not its
//! `override` feature, which would define `malloc` in mimalloc's own C code, where these
//! counting exports could not stand. `allocator-try` builds it.

/// The name the evidence line starts with.
const NAME: &str = "mimalloc";

#[path = "../../preload-exports.rs"]
mod exports;

/// mimalloc's prefixed C API.
mod backend {
    use core::ffi::c_void;
    pub use libmimalloc_sys::{
        mi_calloc as calloc, mi_free as free, mi_malloc as malloc, mi_realloc as realloc,
        mi_usable_size as usable_size,
    };

    /// # Safety
    /// `align` is a power of two and a multiple of the pointer size.
    pub unsafe fn aligned(align: usize, size: usize) -> *mut c_void {
        // SAFETY: any size, and a power-of-two alignment, as the caller promises.
        unsafe { libmimalloc_sys::mi_malloc_aligned(size, align) }
    }
}
