//! Builds the book and checks its links and `#fragment`s, that mdbook renders it without a warning,
//! that its search index is there, and that no line of a code or output block is wider than 88
//! characters: runs the tests of `tools/book-check`, a separate workspace (its Cargo.toml says
//! why), so a broken book fails `cargo test` with nothing installed.

use book_harness::separate_workspace::SeparateWorkspace;

#[test]
fn the_book_builds_and_its_links_and_fragments_resolve() {
    SeparateWorkspace::at("tools/book-check").test();
}
