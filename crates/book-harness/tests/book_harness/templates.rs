//! Copying a crate out of the repository and testing it there, on the passing fixture.

// The unstamped forms: these tests check what a real run does (the stamp has its own tests).
use book_harness::templates::{copy_out_and_cargo_unstamped, copy_out_and_test_unstamped};

#[test]
fn a_crate_copied_out_of_the_repository_builds_and_passes_there() {
    let run = copy_out_and_test_unstamped("crates/book-harness/tests/fixtures/passing-workspace");
    assert!(run.status.success(), "{run}");
    let temp = std::env::temp_dir();
    assert!(
        run.command.contains(&*temp.to_string_lossy()),
        "the test ran in the repository, not in a copy: {}",
        run.command
    );
}

#[test]
fn a_copy_runs_other_cargo_commands_too() {
    let run = copy_out_and_cargo_unstamped(
        "crates/book-harness/tests/fixtures/passing-workspace",
        &["build", "--quiet"],
    );
    assert!(run.command.starts_with("cargo build --locked"), "{run}");
}
