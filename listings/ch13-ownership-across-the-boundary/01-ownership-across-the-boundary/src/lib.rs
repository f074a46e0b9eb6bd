//! A `cdylib` that hands memory to C: strings (`CString::into_raw`) and an object
//! (`Box::into_raw`). Its Rust allocations go to jemalloc, so each must come back through the
//! library's own free function, never C's `free`.
//!
//! No example: Cargo runs no doctests for a crate that is only a `cdylib`; the C program in
//! `tests/right_free.rs` calls each function, and `tests/wrong_free.rs` frees wrongly.

use std::ffi::{CStr, CString, c_char};

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// ANCHOR: greeting
/// Returns "Hello, <name>!" as a new C string that the caller owns. Free it with
/// `greeting_free`, never with `free`. Returns null when `name` is null.
///
/// # Safety
/// `name` must be null or point to a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn greeting_new(name: *const c_char) -> *mut c_char {
    if name.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: the caller guarantees `name` is a NUL-terminated string.
    let name = unsafe { CStr::from_ptr(name) }.to_string_lossy();
    let greeting = CString::new(format!("Hello, {name}!"))
        .expect("the name came from a C string, so it has no interior NUL");
    greeting.into_raw()
}

/// Frees a string that `greeting_new` returned. Null is ignored.
///
/// # Safety
/// `greeting` must be null or a pointer from `greeting_new` that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn greeting_free(greeting: *mut c_char) {
    if !greeting.is_null() {
        // SAFETY: the caller passes what `greeting_new` made with `CString::into_raw`.
        drop(unsafe { CString::from_raw(greeting) });
    }
}
// ANCHOR_END: greeting

// ANCHOR: tally
/// A running total, owned by the library; C code holds it behind an opaque pointer.
pub struct Tally {
    total: u64,
}

/// A new tally at zero. Free it with `tally_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tally_new() -> *mut Tally {
    Box::into_raw(Box::new(Tally { total: 0 }))
}

/// Adds `amount` to the tally.
///
/// # Safety
/// `tally` must be a live pointer from `tally_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tally_add(tally: *mut Tally, amount: u64) {
    // SAFETY: the caller guarantees a live tally that no one else borrows meanwhile.
    let tally = unsafe { &mut *tally };
    tally.total = tally.total.saturating_add(amount);
}

/// The tally's total.
///
/// # Safety
/// `tally` must be a live pointer from `tally_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tally_total(tally: *const Tally) -> u64 {
    // SAFETY: the caller guarantees a live tally.
    unsafe { (*tally).total }
}

/// Frees a tally from `tally_new`. Null is ignored.
///
/// # Safety
/// `tally` must be null or a pointer from `tally_new` that was not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tally_free(tally: *mut Tally) {
    if !tally.is_null() {
        // SAFETY: the caller guarantees it came from `Box::into_raw` in `tally_new`.
        drop(unsafe { Box::from_raw(tally) });
    }
}
// ANCHOR_END: tally
