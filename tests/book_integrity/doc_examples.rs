//! Every public item of the shared crates and of the library listings has a runnable example in
//! its doc comment, which `cargo test` runs as a doctest, or says why not ("No example: ...").

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::book::root;

/// The shared crates, whose items every chapter's tests use.
pub const SHARED: &[&str] = &[
    "crates/book-harness",
    "crates/ch03-probe",
    "crates/probe-c-api",
];

/// Library listings the check leaves out, each with why.
pub const NOT_CHECKED: &[(&str, &str)] = &[(
    "listings/ch14-benchmarks/01-benchmarks",
    "a separate workspace that only `cargo bench` runs, so `cargo test` runs none of its \
     doctests; issue 15 splits its crate, and its items get examples after the split",
)];

/// The crates whose public items the check looks at: the shared crates and every listing with a
/// `src/lib.rs` (a library), except [`NOT_CHECKED`], as paths from the repository root.
pub fn crates() -> Vec<String> {
    let mut listings: Vec<String> = std::fs::read_dir(root().join("listings"))
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|chapter| {
            std::fs::read_dir(chapter.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|listing| listing.path())
        .filter(|listing| listing.join("src/lib.rs").is_file())
        .filter_map(|listing| {
            Some(
                listing
                    .strip_prefix(root())
                    .ok()?
                    .to_string_lossy()
                    .into_owned(),
            )
        })
        .filter(|listing| !NOT_CHECKED.iter().any(|(skipped, _)| skipped == listing))
        .collect();
    listings.sort();
    SHARED
        .iter()
        .map(|krate| (*krate).to_owned())
        .chain(listings)
        .collect()
}

/// Whether Cargo runs the doctests of the library that `manifest` (a `Cargo.toml`'s text)
/// describes: only for a `lib` or `rlib`, the default, never for a library that is only a
/// `cdylib`, `staticlib` or `dylib`.
pub fn doctestable(manifest: &str) -> bool {
    manifest
        .lines()
        .map(str::trim)
        .find_map(|line| line.strip_prefix("crate-type"))
        .is_none_or(|types| types.contains("\"lib\"") || types.contains("\"rlib\""))
}

/// What an item's doc comment must hold instead of an example.
pub const NO_EXAMPLE: &str = "No example:";

/// The library sources of the crate at `dir` (from the repository root): `src/**/*.rs` without
/// `src/main.rs` and `src/bin/`.
pub fn library_sources(dir: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() && !path.ends_with("bin") {
                walk(&path, files);
            } else if path.extension().is_some_and(|ext| ext == "rs") && !path.ends_with("main.rs")
            {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join(dir).join("src"), &mut files);
    files
}

/// The public items of `source` (a file's text) that have neither a runnable example nor a
/// "No example:" line in their doc comment, as `line: item`. The file's `#[cfg(test)]` module
/// (which the book's files keep last) is not looked at.
pub fn items_without_examples(source: &str) -> Vec<String> {
    static ITEM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"^\s*pub\s+((const|unsafe|async|extern\s+"C")\s+)*(fn|struct|enum|trait|const|static|type|union)\s+(\w+)"#,
        )
        .expect("valid regex")
    });
    let lines: Vec<&str> = source.lines().collect();
    let end = lines
        .iter()
        .position(|line| line.starts_with("#[cfg(test)]") || line.starts_with("#[cfg(all(test"))
        .unwrap_or(lines.len());
    let mut missing = Vec::new();
    for (at, line) in lines[..end].iter().enumerate() {
        let Some(caps) = ITEM.captures(line) else {
            continue;
        };
        let docs = docs_above(&lines, at);
        if !has_runnable_example(&docs) && !docs.contains(NO_EXAMPLE) {
            missing.push(format!("{}: pub {} {}", at + 1, &caps[3], &caps[4]));
        }
    }
    missing
}

/// The doc comment and attributes right above line `at`, joined.
fn docs_above(lines: &[&str], at: usize) -> String {
    let mut above = Vec::new();
    let mut in_attribute = false;
    for line in lines[..at].iter().rev() {
        let trimmed = line.trim();
        if in_attribute {
            above.push(trimmed);
            in_attribute = !trimmed.starts_with("#[");
        } else if trimmed.starts_with("///")
            || trimmed.starts_with("#[")
            || trimmed.starts_with("//")
        {
            above.push(trimmed);
        } else if trimmed.ends_with(")]") || trimmed == "]" {
            // The last line of an attribute that spans lines: take it up to its `#[`.
            above.push(trimmed);
            in_attribute = true;
        } else {
            break;
        }
    }
    above.reverse();
    above.join("\n")
}

/// Whether `docs` holds a fence that rustdoc compiles and runs: an opening ```` ``` ```` with no
/// info string or with Rust's and rustdoc's words only (never `ignore`, `no_run`,
/// `compile_fail` or another language), in a `///` line or in a `#[doc = concat!(...)]` that
/// includes a program.
pub fn has_runnable_example(docs: &str) -> bool {
    let runs = |info: &str| {
        info.split([',', ' '])
            .filter(|word| !word.is_empty())
            .all(|word| {
                matches!(
                    word,
                    "rust" | "standalone_crate" | "should_panic" | "edition2021" | "edition2024"
                )
            })
    };
    let mut open = false;
    for line in docs.lines() {
        if let Some(doc) = line.strip_prefix("///") {
            let Some(info) = doc.trim_start().strip_prefix("```") else {
                continue;
            };
            if open {
                open = false;
                continue;
            }
            open = true;
            if runs(info.trim()) {
                return true;
            }
        } else if let Some((_, rest)) = line.split_once("\"```")
            && line.contains("include_str!")
            && runs(rest.split("\\n").next().unwrap_or_default())
        {
            return true;
        }
    }
    false
}
