//! Turns the Rust code blocks of the book's chapters into tests (run by tests/skeptic.rs).

use std::path::PathBuf;

fn main() {
    // Without this, a chapter added later would never be picked up: Cargo would only rerun this
    // script when a file it already knew about changed.
    println!("cargo:rerun-if-changed=src");
    let mut chapters: Vec<PathBuf> = skeptic::markdown_files_of_directory("src");
    chapters.sort();
    skeptic::generate_doc_tests(&chapters);
}
