//! The dylib's `#[global_allocator]` is the program's: a binary that links it cannot declare one
//! of its own.

use book_harness::separate_workspace::SeparateWorkspace;

#[test]
fn a_binary_that_links_the_dylib_cannot_declare_its_own_allocator() {
    let run = SeparateWorkspace::at("listings/ch10-rust-dylib")
        .cargo(&["build", "-q", "-p", "ch10-own-allocator"])
        .assert_failure();
    run.check_recording(
        "cargo build -q -p ch10-own-allocator",
        "listings/ch10-rust-dylib/01-rust-dylib/recorded/own-allocator.txt",
    );
    assert!(
        run.output.contains(
            "the `#[global_allocator]` in this crate conflicts with global allocator in: \
             ch10_jemalloc_dylib"
        ),
        "{run}"
    );
}
