//! The system allocator's own counters, where the system allocator is glibc's malloc.

/// Bytes glibc's malloc holds for the program right now: chunks in use on its heaps (`uordblks`)
/// plus the blocks it mapped with `mmap` (`hblkhd`; glibc maps blocks of 128 KiB and more by default).
///
/// Chunks parked in glibc's per-thread cache (up to 7 per size, for sizes up to 1032 B) count as
/// in use, so a small allocation served from that cache does not move this number. Measure a batch
/// of live blocks (as [`Probe`](crate::Probe) does) to see an allocation however it was served.
///
/// `None` where the system allocator is not glibc's.
///
/// ```
/// use std::alloc::{GlobalAlloc, Layout, System};
///
/// let layout = Layout::from_size_align(1 << 20, 8).expect("a valid layout");
/// let before = ch03_probe::glibc::in_use().expect("glibc's reading");
/// // SAFETY: non-zero size; freed below with the same layout.
/// let block = unsafe { System.alloc(layout) };
/// let after = ch03_probe::glibc::in_use().expect("glibc's reading");
/// assert!(after >= before + (1 << 20), "1 MiB live: {before} B, then {after} B");
/// // SAFETY: `block` came from System.alloc with `layout`.
/// unsafe { System.dealloc(block, layout) };
/// ```
// ANCHOR: in_use
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn in_use() -> Option<u64> {
    // SAFETY: mallinfo2 takes no arguments and only reads glibc's allocator statistics.
    let info = unsafe { libc::mallinfo2() };
    Some((info.uordblks + info.hblkhd) as u64)
}
// ANCHOR_END: in_use

/// Bytes in use by the system allocator; this platform's allocator has no reading here.
///
/// ```
/// assert_eq!(ch03_probe::glibc::in_use(), None);
/// ```
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn in_use() -> Option<u64> {
    None
}

// Linux with glibc only: these tests check the probe's reading of `mallinfo2`.
#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use std::alloc::{GlobalAlloc, Layout, System};

    #[test]
    fn a_system_block_of_one_mebibyte_is_counted() {
        let layout = Layout::from_size_align(1 << 20, 8).expect("valid layout");
        let before = super::in_use().expect("glibc reading");
        // SAFETY: the layout has a non-zero size; the block is freed below with the same layout.
        let block = unsafe { System.alloc(layout) };
        assert!(!block.is_null(), "System could not allocate 1 MiB");
        let after = super::in_use().expect("glibc reading");
        // SAFETY: `block` came from System.alloc with this layout and is freed once.
        unsafe { System.dealloc(block, layout) };
        // Signed: other tests' threads may free memory meanwhile.
        let grew = after as i64 - before as i64;
        assert!(grew >= 1 << 20, "glibc grew by only {grew} B");
    }
}
