//! A panic that unwinds out of `GlobalAlloc::alloc` is undefined behaviour. What Rust 1.95 does
//! with one, compiled without and with optimisation, run in child processes.

use book_harness::recorded::{Ran, Recording};
use book_harness::rustc;

/// The listing's directory, from which the book shows the program built.
const LISTING: &str = "listings/ch15-writing-a-global-alloc/01-writing-a-global-alloc";
const FIXTURE: &str = "programs/panicking_allocator.rs";

fn run_at(opt_level: &str) -> Ran {
    let program = rustc::compile(
        format!("{LISTING}/{FIXTURE}"),
        &format!("panicking-allocator-opt{opt_level}"),
        &["-C", &format!("opt-level={opt_level}")],
    );
    let shown = format!(
        "cd {LISTING}\n$ rustc --edition 2024 -C opt-level={opt_level} -o panicking-allocator \
         {FIXTURE} && ./panicking-allocator"
    );
    Recording::new(program, &shown)
        .hidden_env("RUST_BACKTRACE", "0")
        .check(format!("{LISTING}/recorded/unwind-opt{opt_level}.txt"))
}

#[test]
fn without_optimisation_catch_unwind_catches_the_allocators_panic() {
    let ran = run_at("0");
    assert!(ran.status.success(), "{}: {}", ran.status, ran.output);
    assert!(
        ran.output
            .contains("panic inside the allocator: refusing 4242 bytes"),
        "{}",
        ran.output
    );
    assert!(
        ran.output.contains("catch_unwind caught the panic"),
        "{}",
        ran.output
    );
}

#[test]
fn with_optimisation_the_same_catch_unwind_does_not_catch_it() {
    // The allocator shim is declared as never unwinding; optimised code relies on it and drops
    // the landing pad, so the panic escapes `catch_unwind` and ends the program.
    let ran = run_at("3");
    assert_eq!(
        ran.status.code(),
        Some(101),
        "{}: {}",
        ran.status,
        ran.output
    );
    assert!(
        ran.output
            .contains("panic inside the allocator: refusing 4242 bytes"),
        "{}",
        ran.output
    );
    assert!(!ran.output.contains("caught"), "{}", ran.output);
}
