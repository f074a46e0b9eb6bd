//! `count-system` (global allocator: `ThreadCounting<System>`) measured from outside.

use crate::common;

const EXE: &str = env!("CARGO_BIN_EXE_count-system");

#[test]
fn known_allocations_are_counted_exactly() {
    common::known_allocations_are_counted_exactly(EXE);
}

#[test]
fn a_worker_thread_counts_for_itself_not_for_main() {
    common::a_worker_thread_counts_for_itself_not_for_main(EXE);
}

// Linux with glibc only: reads glibc's counters (`mallinfo2`), to show that glibc serves what is
// counted.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn glibc_serves_what_the_counter_counts() {
    for r in ch03_probe::run::readings_of(EXE, &[]) {
        assert_eq!(r.counted, Some(r.requested()), "{r}");
        ch03_probe::run::assert_glibc_served(&r);
    }
}

// Linux with glibc only: the recording shows glibc's counters, recorded there.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn count_system_output_matches_the_recording() {
    common::output_matches_the_recording("count-system", EXE);
}
