//! A Rust library for C programs (`include/cdylib_for_c.h`). Its Rust code allocates through
//! jemalloc; every pointer it returns must come back through its own free function, never C's
//! `free`, which belongs to another allocator.

use std::ffi::{CStr, CString, c_char};

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Returns `text` in upper case, as a new string that the caller owns: free it with
/// `cdylib_for_c_string_free`. Returns null when `text` is null.
///
/// # Safety
/// `text` must be null or point to a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cdylib_for_c_shout(text: *const c_char) -> *mut c_char {
    if text.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: the caller guarantees a NUL-terminated string.
    let text = unsafe { CStr::from_ptr(text) }.to_string_lossy();
    CString::new(text.to_uppercase())
        .expect("upper-casing a C string adds no NUL byte")
        .into_raw()
}

/// Frees a string this library returned. Null is ignored.
///
/// # Safety
/// `text` must be null or a string from this library, not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cdylib_for_c_string_free(text: *mut c_char) {
    if !text.is_null() {
        // SAFETY: the caller guarantees it came from `CString::into_raw` in this library.
        drop(unsafe { CString::from_raw(text) });
    }
}

/// Bytes jemalloc has allocated on the calling thread so far (it only grows), or 0 where
/// jemalloc is not used. A host can compare it before and after a call to see that the library's
/// allocations went to jemalloc.
#[unsafe(no_mangle)]
pub extern "C" fn cdylib_for_c_jemalloc_allocated() -> u64 {
    #[cfg(not(target_env = "msvc"))]
    {
        tikv_jemalloc_ctl::thread::allocatedp::read().map_or(0, |counter| counter.get())
    }
    #[cfg(target_env = "msvc")]
    {
        0
    }
}
