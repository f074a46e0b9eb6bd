//! Every template under `examples/` builds and passes its own tests when copied out of the
//! repository, the way the appendix "The templates" tells a reader to, renaming the package
//! included: `book_harness::templates::copy_out_and_test` reads the commands from the appendix's
//! section "Copying one" and runs them in the copy. Add one test per template below;
//! `every_template_in_examples_is_tested` fails until you do:
//!
//! ```ignore
//! #[test]
//! fn my_template_stands_alone() {
//!     book_harness::templates::copy_out_and_test("examples/my-template");
//! }
//! ```

/// This file's source, to check that every template has its test here.
const THIS_FILE: &str = include_str!("templates_standalone.rs");

#[test]
fn every_template_in_examples_is_tested() {
    let examples = book_harness::repo::root().join("examples");
    let untested: Vec<String> = std::fs::read_dir(&examples)
        .expect("examples/ exists")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            path.join("Cargo.toml").is_file().then(|| {
                path.file_name()
                    .expect("a directory name")
                    .to_string_lossy()
                    .into_owned()
            })
        })
        .filter(|name| {
            !THIS_FILE.contains(&format!(
                "book_harness::templates::copy_out_and_test(\"examples/{name}\")"
            ))
        })
        .collect();
    assert!(
        untested.is_empty(),
        "templates without a standalone test in tests/allocator_book/templates_standalone.rs: {untested:?}"
    );
}

#[test]
fn bin_jemalloc_stands_alone() {
    book_harness::templates::copy_out_and_test("examples/bin-jemalloc");
}

#[test]
fn bin_allocator_feature_stands_alone() {
    book_harness::templates::copy_out_and_test("examples/bin-allocator-feature");
}

#[test]
fn bin_allocator_feature_stands_alone_with_the_feature_on() {
    book_harness::templates::copy_out_and_cargo(
        "examples/bin-allocator-feature",
        &["test", "--features", "jemalloc"],
    );
}

#[test]
fn cdylib_for_c_stands_alone() {
    book_harness::templates::copy_out_and_test("examples/cdylib-for-c");
}

#[test]
fn staticlib_for_c_stands_alone() {
    book_harness::templates::copy_out_and_test("examples/staticlib-for-c");
}

#[test]
fn bin_mimalloc_stands_alone() {
    book_harness::templates::copy_out_and_test("examples/bin-mimalloc");
}
