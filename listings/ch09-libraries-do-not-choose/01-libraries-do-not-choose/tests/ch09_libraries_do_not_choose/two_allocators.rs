//! Two `#[global_allocator]`s in one program do not compile. The fixtures live in a separate
//! workspace (`listings/ch09-libraries-do-not-choose/04-two-allocators`) so that the workspace build never tries them.

use book_harness::separate_workspace::SeparateWorkspace;

const RECORDED: &str = "listings/ch09-libraries-do-not-choose/01-libraries-do-not-choose/recorded";

fn build(bin: &str) -> String {
    let run = SeparateWorkspace::at("listings/ch09-libraries-do-not-choose/04-two-allocators")
        .cargo(&["build", "-q", "--bin", bin])
        .assert_failure();
    run.check_recording(
        &format!("cargo build -q --bin {bin}"),
        format!("{RECORDED}/{bin}.txt"),
    );
    run.output
}

#[test]
fn a_binary_and_a_library_that_both_declare_one_do_not_compile() {
    let output = build("binary-and-library");
    assert!(
        output.contains(
            "the `#[global_allocator]` in this crate conflicts with global allocator in: \
             ch09_library_that_chooses"
        ),
        "{output}"
    );
}

#[test]
fn two_declarations_in_one_crate_do_not_compile() {
    let output = build("two-in-one-crate");
    assert!(
        output.contains("cannot define multiple global allocators"),
        "{output}"
    );
}
