//! `limited` (global allocator: `Limited<System>`, 64 MiB budget) asked for 100 MiB, in a child
//! process: fallibly the program goes on, infallibly it aborts.
// Unix only: it asserts the child's death by SIGABRT, a Unix signal.
#![cfg(unix)]

use std::os::unix::process::ExitStatusExt;

use book_harness::recorded::{Ran, Recording};

fn limited(mode: &str) -> Ran {
    Recording::cargo_run(
        "ch15-writing-a-global-alloc",
        "limited",
        env!("CARGO_BIN_EXE_limited"),
    )
    .arg(mode)
    // The abort prints a backtrace when RUST_BACKTRACE is set; the recording is without.
    .hidden_env("RUST_BACKTRACE", "0")
    .check(format!(
        "listings/ch15-writing-a-global-alloc/01-writing-a-global-alloc/recorded/limited-{mode}.txt"
    ))
}

#[test]
fn try_reserve_past_the_budget_is_an_error_and_the_program_goes_on() {
    let ran = limited("try");
    assert!(ran.status.success(), "{}", ran.output);
    assert!(
        ran.output
            .contains("try_reserve(104857600) failed:\n  memory allocation failed"),
        "{}",
        ran.output
    );
    assert!(ran.output.contains("still running"), "{}", ran.output);
}

#[test]
fn an_infallible_allocation_past_the_budget_aborts() {
    let ran = limited("infallible");
    assert_eq!(
        ran.status.signal(),
        Some(libc::SIGABRT),
        "{}: {}",
        ran.status,
        ran.output
    );
    assert!(
        ran.output
            .contains("memory allocation of 104857600 bytes failed"),
        "{}",
        ran.output
    );
    assert!(!ran.output.contains("succeeded"), "{}", ran.output);
}
