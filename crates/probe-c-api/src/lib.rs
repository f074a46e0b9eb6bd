//! The probe of chapter 3 behind a C interface (`include/probe.h`), for a Rust library that a C
//! program links or loads: a `cdylib` (chapter 11) or a `staticlib` (chapter 12).
//!
//! The readings are taken inside the library. For the library's own Rust allocations they show
//! the library's global allocator; around a batch that the host allocates with its own `malloc`,
//! they show who serves the host.
//!
//! A library exports these functions only if it names this crate (`use probe_c_api as _;`):
//! a dependency that no code names is never linked (chapter 9).
//!
//! [`report`] is the test side: it reads what `c/report.c` printed.

pub mod report;

use std::ffi::{c_char, c_int, c_void};
use std::sync::Mutex;

use ch03_probe::Probe;
use ch03_probe::Reading;
use ch03_probe::probe::Snapshot;

/// The readings `probe_begin` took, until `probe_end` uses them. A `Mutex` needs no allocation.
static STARTED: Mutex<Option<Snapshot>> = Mutex::new(None);

/// Measures a batch of 64 blocks of `size` bytes that the library's Rust code allocates (`Vec`
/// buffers, through its global allocator) and writes the reading into `line`.
///
/// # Safety
/// `line` must be valid for writing `capacity` bytes.
///
/// ```
/// use std::ffi::CStr;
/// use ch03_probe::{Reading, Verdict};
///
/// let mut line = [0 as std::ffi::c_char; 512];
/// // SAFETY: `line` holds 512 writable bytes.
/// let written = unsafe { probe_c_api::probe_measure_rust(100, line.as_mut_ptr(), line.len()) };
/// assert!(written > 0, "the reading fits in 512 bytes");
/// // SAFETY: the probe wrote a NUL-terminated line into `line`.
/// let text = unsafe { CStr::from_ptr(line.as_ptr()) }.to_str().expect("UTF-8");
/// let reading: Reading = text.parse().expect("a reading");
/// // Linux with glibc only: this example has no #[global_allocator], so glibc serves it.
/// if cfg!(all(target_os = "linux", target_env = "gnu")) {
///     assert_eq!(reading.verdict(), Verdict::System, "{reading}");
/// }
/// ```
// ANCHOR: measure_rust
#[unsafe(no_mangle)]
pub unsafe extern "C" fn probe_measure_rust(
    size: usize,
    line: *mut c_char,
    capacity: usize,
) -> c_int {
    if size == 0 {
        eprintln!("probe_measure_rust: the size must be at least 1 byte");
        return -1;
    }
    let reading = Probe::new().measure(size);
    // SAFETY: the caller guarantees `line` holds `capacity` writable bytes.
    unsafe { write_line(&reading, line, capacity) }
}
// ANCHOR_END: measure_rust

/// Takes the readings before the host allocates a batch itself.
///
/// ```
/// use std::ffi::{CStr, c_char};
///
/// // As a C host does: begin, allocate a batch with its own malloc (System here), end.
/// probe_c_api::probe_begin();
/// let layout = std::alloc::Layout::from_size_align(200, 8).expect("a valid layout");
/// // SAFETY: the layout has a non-zero size; the block is freed below with it.
/// let first = unsafe { std::alloc::GlobalAlloc::alloc(&std::alloc::System, layout) };
/// let mut line = [0 as c_char; 512];
/// // SAFETY: `line` holds 512 writable bytes; `first` is only compared, never read.
/// let written = unsafe { probe_c_api::probe_end(200, 1, first.cast(), line.as_mut_ptr(), 512) };
/// assert!(written > 0, "probe_end after probe_begin writes a reading");
/// // SAFETY: `first` came from System.alloc with `layout`, freed once.
/// unsafe { std::alloc::GlobalAlloc::dealloc(&std::alloc::System, first, layout) };
/// // SAFETY: probe_end wrote a NUL-terminated line into `line`.
/// let text = unsafe { CStr::from_ptr(line.as_ptr()) }.to_string_lossy();
/// let reading: ch03_probe::Reading = text.parse().expect("a reading");
/// assert_eq!((reading.size, reading.count), (200, 1), "{reading}");
/// ```
// ANCHOR: begin_end
#[unsafe(no_mangle)]
pub extern "C" fn probe_begin() {
    let before = Probe::new().snapshot();
    *STARTED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(before);
}

/// Takes the readings again after the host allocated `count` blocks of `size` bytes,
/// the first at `first`, and writes the reading into `line`.
///
/// # Safety
/// `line` must be valid for writing `capacity` bytes. `first` is only compared with
/// jemalloc's addresses, never read.
///
/// ```
/// let mut line = [0 as std::ffi::c_char; 512];
/// // Without probe_begin there is nothing to compare with.
/// let (first, buffer) = (std::ptr::null(), line.as_mut_ptr());
/// // SAFETY: `buffer` holds 512 writable bytes; the null `first` is never read.
/// let refused = unsafe { probe_c_api::probe_end(100, 64, first, buffer, 512) };
/// assert_eq!(refused, -1);
/// ```
#[unsafe(no_mangle)]
pub unsafe extern "C" fn probe_end(
    size: usize,
    count: usize,
    first: *const c_void,
    line: *mut c_char,
    capacity: usize,
) -> c_int {
    let after = Probe::new().snapshot();
    let started = STARTED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .take();
    let Some(before) = started else {
        eprintln!("probe_end: call probe_begin first, on the same thread");
        return -1;
    };
    let reading = after.reading_since(&before, size, count, first.cast());
    // SAFETY: the caller guarantees `line` holds `capacity` writable bytes.
    unsafe { write_line(&reading, line, capacity) }
}
// ANCHOR_END: begin_end

/// Writes `reading` as a NUL-terminated line into `line` and returns its length, or -1 when it
/// does not fit.
///
/// # Safety
/// `line` must be valid for writing `capacity` bytes.
unsafe fn write_line(reading: &Reading, line: *mut c_char, capacity: usize) -> c_int {
    let text = reading.to_string();
    if line.is_null() || text.len() >= capacity {
        eprintln!(
            "probe: a reading needs {} bytes, the buffer has {capacity}; use PROBE_LINE_CAPACITY",
            text.len() + 1
        );
        return -1;
    }
    // SAFETY: `text.len() + 1 <= capacity` bytes are written to `line`, which the caller
    // guarantees is writable for `capacity` bytes; the source is a distinct Rust string.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), line.cast::<u8>(), text.len());
        *line.add(text.len()) = 0;
    }
    text.len() as c_int
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_that_does_not_fit_is_refused() {
        let mut small = [0 as c_char; 16];
        // SAFETY: `small` holds 16 writable bytes.
        let written = unsafe { probe_measure_rust(100, small.as_mut_ptr(), small.len()) };
        assert_eq!(written, -1);
        assert_eq!(small[0], 0, "nothing was written");
    }

    #[test]
    fn probe_end_without_probe_begin_is_refused() {
        let mut line = [0 as c_char; 512];
        // SAFETY: `line` holds 512 writable bytes; `first` is only compared, never read.
        let written =
            unsafe { probe_end(100, 64, std::ptr::null(), line.as_mut_ptr(), line.len()) };
        assert_eq!(written, -1);
    }
}
