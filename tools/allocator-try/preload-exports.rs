//! The C allocation functions a preload library exports, shared by `preload-jemalloc` and
//! `preload-mimalloc` (each includes this file with `#[path]`). Each function counts the call
//! and forwards it to the crate's `backend`, which is the allocator's own prefixed API: the
//! allocator's static library does not define `malloc` itself, so nothing here collides with it.
//! At exit, the count goes to the file descriptor the runner names in `ALLOCATOR_TRY_EVIDENCE_FD`,
//! with the process id: a child process inherits the descriptor and writes its own line.
//!
//! Nothing here allocates or touches Rust's standard library at run time: these functions serve
//! the dynamic loader and the C library before and after `main`.

// Linux with glibc only: LD_PRELOAD, glibc's __errno_location, and an ELF `.fini_array`.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
compile_error!("a preload library of allocator-try's is for Linux with glibc only");

use core::ffi::{c_char, c_int, c_void};
use core::sync::atomic::{AtomicU64, Ordering};

use crate::backend;

// ANCHOR: count
/// Every allocation this library served: `malloc`, `calloc`, `realloc`, aligned ones.
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

fn counted() {
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
}
// ANCHOR_END: count

const ENOMEM: c_int = 12;
const EINVAL: c_int = 22;
const PAGE: usize = 4096;

#[unsafe(no_mangle)]
pub extern "C" fn malloc(size: usize) -> *mut c_void {
    counted();
    // SAFETY: the allocator's malloc takes any size.
    unsafe { backend::malloc(size) }
}

#[unsafe(no_mangle)]
pub extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
    counted();
    // SAFETY: the allocator's calloc checks `count * size` for overflow itself.
    unsafe { backend::calloc(count, size) }
}

/// # Safety
/// `ptr` is null or a live allocation of this library, as C's `realloc` requires.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    counted();
    // SAFETY: the caller keeps C's contract for `ptr`.
    unsafe { backend::realloc(ptr, size) }
}

/// # Safety
/// As [`realloc`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn reallocarray(ptr: *mut c_void, count: usize, size: usize) -> *mut c_void {
    let Some(bytes) = count.checked_mul(size) else {
        set_errno(ENOMEM);
        return core::ptr::null_mut();
    };
    // SAFETY: the caller keeps C's contract for `ptr`.
    unsafe { realloc(ptr, bytes) }
}

/// # Safety
/// `ptr` is null or a live allocation of this library, as C's `free` requires.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn free(ptr: *mut c_void) {
    // SAFETY: the caller keeps C's contract for `ptr`.
    unsafe { backend::free(ptr) }
}

/// # Safety
/// `out` is valid for a write of a pointer, as C's `posix_memalign` requires.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn posix_memalign(out: *mut *mut c_void, align: usize, size: usize) -> c_int {
    if !align.is_power_of_two() || !align.is_multiple_of(core::mem::size_of::<*mut c_void>()) {
        return EINVAL;
    }
    counted();
    // SAFETY: `align` is a power of two and a multiple of the pointer size.
    let ptr = unsafe { backend::aligned(align, size) };
    if ptr.is_null() {
        return ENOMEM;
    }
    // SAFETY: the caller gives a pointer valid for writes.
    unsafe { *out = ptr };
    0
}

fn aligned_or_null(align: usize, size: usize) -> *mut c_void {
    // C11 and glibc accept any power of two here; smaller ones than a pointer round up.
    if !align.is_power_of_two() {
        set_errno(EINVAL);
        return core::ptr::null_mut();
    }
    counted();
    let align = align.max(core::mem::size_of::<*mut c_void>());
    // SAFETY: `align` is a power of two and a multiple of the pointer size.
    let ptr = unsafe { backend::aligned(align, size) };
    if ptr.is_null() {
        set_errno(ENOMEM);
    }
    ptr
}

#[unsafe(no_mangle)]
pub extern "C" fn aligned_alloc(align: usize, size: usize) -> *mut c_void {
    aligned_or_null(align, size)
}

#[unsafe(no_mangle)]
pub extern "C" fn memalign(align: usize, size: usize) -> *mut c_void {
    aligned_or_null(align, size)
}

#[unsafe(no_mangle)]
pub extern "C" fn valloc(size: usize) -> *mut c_void {
    aligned_or_null(PAGE, size)
}

#[unsafe(no_mangle)]
pub extern "C" fn pvalloc(size: usize) -> *mut c_void {
    match size.checked_next_multiple_of(PAGE) {
        Some(rounded) => aligned_or_null(PAGE, rounded.max(PAGE)),
        None => {
            set_errno(ENOMEM);
            core::ptr::null_mut()
        }
    }
}

/// # Safety
/// `ptr` is null or a live allocation of this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn malloc_usable_size(ptr: *mut c_void) -> usize {
    if ptr.is_null() {
        return 0;
    }
    // SAFETY: the caller gives a live allocation of this library.
    unsafe { backend::usable_size(ptr) }
}

unsafe extern "C" {
    fn __errno_location() -> *mut c_int;
    fn getenv(name: *const c_char) -> *const c_char;
    fn write(fd: c_int, buf: *const c_void, count: usize) -> isize;
    fn getpid() -> c_int;
}

fn set_errno(value: c_int) {
    // SAFETY: glibc's __errno_location returns this thread's errno, valid for writes.
    unsafe { *__errno_location() = value };
}

// ANCHOR: evidence
/// Runs when the process exits (the loader calls `.fini_array` entries from `exit`):
/// when the runner asked for evidence, writes "<allocator> <pid> <allocations>\n" to
/// the descriptor it named.
extern "C" fn write_evidence() {
    // SAFETY: the name is a C string; getenv returns null or a C string.
    let value = unsafe { getenv(c"ALLOCATOR_TRY_EVIDENCE_FD".as_ptr()) };
    if value.is_null() {
        return;
    }
    // SAFETY: getenv returned a C string that lives as long as the environment.
    let value = unsafe { core::ffi::CStr::from_ptr(value) };
    let Some(fd) = parse_fd(value.to_bytes()) else {
        return;
    };
    let mut line = [0u8; 64];
    let mut len = 0;
    for &byte in crate::NAME.as_bytes().iter().chain(b" ") {
        line[len] = byte;
        len += 1;
    }
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { getpid() };
    len += decimal(u64::try_from(pid).unwrap_or(0), &mut line[len..]);
    line[len] = b' ';
    len += 1;
    len += decimal(ALLOCATIONS.load(Ordering::Relaxed), &mut line[len..]);
    line[len] = b'\n';
    // SAFETY: `line[..=len]` is initialised and lives across the call. A failed write
    // leaves the runner without evidence, which it refuses.
    unsafe { write(fd, line.as_ptr().cast(), len + 1) };
}

#[used]
#[unsafe(link_section = ".fini_array")]
static WRITE_EVIDENCE_AT_EXIT: extern "C" fn() = write_evidence;
// ANCHOR_END: evidence

fn parse_fd(text: &[u8]) -> Option<c_int> {
    if text.is_empty() || text.len() > 9 || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(text.iter().fold(0, |n, d| n * 10 + c_int::from(d - b'0')))
}

/// Writes `n` in decimal at the start of `out` (at least 20 bytes) and returns its length.
fn decimal(mut n: u64, out: &mut [u8]) -> usize {
    let mut digits = [0u8; 20];
    let mut count = 0;
    loop {
        digits[count] = b'0' + (n % 10) as u8;
        count += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for i in 0..count {
        out[i] = digits[count - 1 - i];
    }
    count
}
