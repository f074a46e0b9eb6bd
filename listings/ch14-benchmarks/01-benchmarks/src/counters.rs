//! What the kernel counts for this process (`getrusage`): page faults and context
//! switches, read before and after a timed part.

/// Minor page faults of this process so far (all threads): each is a page the kernel
/// had to map on first touch.
pub fn minor_faults() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes one `rusage` into the buffer we own.
    let status = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    assert_eq!(status, 0, "getrusage(RUSAGE_SELF) failed");
    // SAFETY: getrusage succeeded, so it initialised the struct (and `zeroed` did
    // before it).
    unsafe { usage.assume_init() }.ru_minflt
}

/// Voluntary and involuntary context switches of this process so far (all threads): a
/// thread that blocks (on a lock, a full channel) switches voluntarily; one the
/// scheduler preempts, involuntarily.
pub fn context_switches() -> (i64, i64) {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes one `rusage` into the buffer we own.
    let status = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    assert_eq!(status, 0, "getrusage(RUSAGE_SELF) failed");
    // SAFETY: getrusage succeeded, so it initialised the struct (and `zeroed` did
    // before it).
    let usage = unsafe { usage.assume_init() };
    (usage.ru_nvcsw, usage.ru_nivcsw)
}
