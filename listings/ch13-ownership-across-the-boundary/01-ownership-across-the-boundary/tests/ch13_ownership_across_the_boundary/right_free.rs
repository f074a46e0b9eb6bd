//! The safe pattern: every pointer the library hands out goes back to the library's own free
//! function.
// Linux with glibc only: the C program reads glibc's counters (`mallinfo2`).
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use crate::common;

use common::{RECORDED, program};

#[test]
fn a_host_that_returns_every_pointer_to_the_library_runs_cleanly() {
    let correct = program("correct_host");
    correct.check_command(format!("{RECORDED}/build-correct-host.txt"));
    let ran = correct
        .recording()
        .check(format!("{RECORDED}/correct-host.txt"));
    assert!(ran.status.success(), "{}", ran.output);
    assert_eq!(ran.output, "Hello, C host!\ntally: 55\n");
}
