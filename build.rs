//! Turns the Rust code blocks of the book's chapters into tests (run by
//! tests/allocator_book/skeptic.rs).
//!
//! Skeptic would turn every ` ```rust,ignore ` fence into an ignored test. Those fences hold
//! `{{#rustdoc_include}}` directives whose code is tested where it lives, so this script hands
//! skeptic copies of the chapters with those fences blanked out (line numbers, and so test names,
//! stay the same): `cargo test` then reports no ignored tests.

use std::path::{Path, PathBuf};

fn main() {
    // Without this, a chapter added later would never be picked up: Cargo would only rerun this
    // script when a file it already knew about changed.
    println!("cargo:rerun-if-changed=src");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("Cargo sets OUT_DIR"));
    let copies = out_dir.join("chapters");
    let mut chapters: Vec<PathBuf> = skeptic::markdown_files_of_directory("src")
        .into_iter()
        .map(|chapter| copy_without_ignored_fences(&chapter, &copies))
        .collect();
    chapters.sort();
    skeptic::generate_doc_tests(&chapters);
}

/// Writes `chapter` into `dir` with every fence whose info string says `ignore` replaced by blank
/// lines. The copy is rewritten only when it changes, so its timestamp does not make Cargo rerun
/// this script.
fn copy_without_ignored_fences(chapter: &Path, dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(chapter)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", chapter.display()));
    let kept = blank_ignored_fences(&text);
    let copy = dir.join(chapter.strip_prefix("src").unwrap_or(chapter));
    if std::fs::read_to_string(&copy).ok().as_deref() != Some(kept.as_str()) {
        if let Some(parent) = copy.parent() {
            std::fs::create_dir_all(parent).expect("OUT_DIR is writable");
        }
        std::fs::write(&copy, kept).expect("OUT_DIR is writable");
    }
    copy
}

fn blank_ignored_fences(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // The open fence's marker (``` or ~~~, possibly longer) and whether it is being blanked.
    let mut open: Option<(String, bool)> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        let blank = match &open {
            None if marker.len() >= 3 => {
                let info = &trimmed[marker.len()..];
                let ignored = info
                    .split(|c: char| !(c == '_' || c == '-' || c.is_alphanumeric()))
                    .any(|token| token == "ignore");
                open = Some((marker, ignored));
                ignored
            }
            None => false,
            Some((open_marker, ignored)) => {
                let ignored = *ignored;
                if marker.starts_with(open_marker.as_str())
                    && trimmed[marker.len()..].trim().is_empty()
                {
                    open = None;
                }
                ignored
            }
        };
        if blank {
            out.push_str(if line.ends_with('\n') { "\n" } else { "" });
        } else {
            out.push_str(line);
        }
    }
    out
}
