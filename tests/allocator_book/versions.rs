//! Versions the prose states agree with what the workspace pins: `tool-versions.toml` for the
//! tools, `Cargo.lock` for crates, `rust-toolchain.toml` for Rust.
//!
//! A crate named with a version in the prose (`tikv-jemallocator 0.7`, `mdbook@0.5.4`) must match
//! the pinned version. Write a historical version another way ("the 0.6 release of
//! tikv-jemallocator") so that it is not read as a claim about what the book tests.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

fn root() -> &'static Path {
    book_harness::repo::root()
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative))
        .unwrap_or_else(|err| panic!("cannot read {relative}: {err}"))
}

fn tool_versions() -> BTreeMap<String, String> {
    toml::from_str(&read("tool-versions.toml")).expect("tool-versions.toml is a table of strings")
}

/// Every package version in the root Cargo.lock, by name. (That every lock file pins the same
/// allocator crates is tests/book_integrity/layout.rs's check.)
fn locked() -> BTreeMap<String, Vec<String>> {
    locked_in("Cargo.lock")
}

/// Every package version in the lock file at `relative`, by name.
fn locked_in(relative: &str) -> BTreeMap<String, Vec<String>> {
    let lock: toml::Table = toml::from_str(&read(relative)).expect("a Cargo.lock is TOML");
    let mut versions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for package in lock["package"]
        .as_array()
        .expect("Cargo.lock lists packages")
    {
        let name = package["name"].as_str().expect("a package has a name");
        let version = package["version"]
            .as_str()
            .expect("a package has a version");
        versions
            .entry(name.to_owned())
            .or_default()
            .push(version.to_owned());
    }
    versions
}

fn toolchain() -> String {
    let file: toml::Table =
        toml::from_str(&read("rust-toolchain.toml")).expect("rust-toolchain.toml is TOML");
    file["toolchain"]["channel"]
        .as_str()
        .expect("a pinned channel")
        .to_owned()
}

/// `stated` is `pinned` or a prefix of it by whole components: `0.7` matches `0.7.0`. Build
/// metadata (`+5.3.1`) and a git suffix (`5.3.1-0-g81034ce`) are not part of the comparison.
fn agrees(stated: &str, pinned: &str) -> bool {
    let pinned = pinned.split('+').next().unwrap_or(pinned);
    let pinned = pinned.split('-').next().unwrap_or(pinned);
    pinned == stated || pinned.starts_with(&format!("{stated}."))
}

#[test]
fn the_mdbook_libraries_in_cargo_lock_are_the_pinned_tools() {
    let tools = tool_versions();
    // tools/book-check builds the book through these libraries (tests/allocator_book/book_build.rs).
    let locked = locked_in("tools/book-check/Cargo.lock");
    for library in ["mdbook-driver", "mdbook-html", "mdbook-renderer"] {
        assert_eq!(
            locked[library],
            [tools["mdbook"].clone()],
            "{library} in Cargo.lock"
        );
    }
    assert_eq!(
        locked["mdbook-linkcheck2"],
        [tools["mdbook-linkcheck2"].clone()]
    );
}

#[test]
fn the_readme_installs_the_pinned_mdbook() {
    let readme = read("README.md");
    let install = format!(
        "cargo install --locked mdbook@{}",
        tool_versions()["mdbook"]
    );
    assert!(readme.contains(&install), "README.md must show `{install}`");
}

/// `(file, crate or tool, stated version)` for every versioned mention in the README and chapters.
fn mentions() -> Vec<(String, String, String)> {
    static MENTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:^|[^\w-])(tikv-jemallocator|tikv-jemalloc-ctl|tikv-jemalloc-sys|libmimalloc-sys|mdbook-linkcheck2|mdbook|skeptic)(?:@| v?)(\d+\.\d+(?:\.\d+)?)",
        )
        .expect("valid regex")
    });
    static JEMALLOC: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:^|[^\w-])jemalloc (\d+\.\d+\.\d+)").expect("valid regex"));
    // The `mimalloc` crate is 0.x; "mimalloc 3.3.2" is the C library it builds, checked against the
    // vendored sources in tests/allocator_book/choosing_in_2026.rs.
    static MIMALLOC_CRATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[^\w-])mimalloc(?:@| v?)(0\.\d+(?:\.\d+)?)").expect("valid regex")
    });
    static TESTED_ON: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"tested (?:on|with) Rust (\d+\.\d+(?:\.\d+)?)").expect("valid regex")
    });
    let mut files = vec!["README.md".to_owned()];
    for entry in std::fs::read_dir(root().join("src")).expect("src/ is listable") {
        let name = entry
            .expect("a directory entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".md") {
            files.push(format!("src/{name}"));
        }
    }
    let mut found = Vec::new();
    for file in files {
        let text = read(&file);
        for caps in MENTION.captures_iter(&text) {
            found.push((file.clone(), caps[1].to_owned(), caps[2].to_owned()));
        }
        for caps in JEMALLOC.captures_iter(&text) {
            found.push((file.clone(), "jemalloc".to_owned(), caps[1].to_owned()));
        }
        for caps in MIMALLOC_CRATE.captures_iter(&text) {
            found.push((file.clone(), "mimalloc".to_owned(), caps[1].to_owned()));
        }
        for caps in TESTED_ON.captures_iter(&text) {
            found.push((file.clone(), "Rust".to_owned(), caps[1].to_owned()));
        }
    }
    found
}

#[test]
fn versions_named_in_the_prose_are_the_pinned_ones() {
    let tools = tool_versions();
    let locked = locked();
    let mentions = mentions();
    assert!(
        !mentions.is_empty(),
        "the README names at least the pinned mdbook"
    );
    let wrong: Vec<String> = mentions
        .into_iter()
        .filter_map(|(file, name, stated)| {
            let pinned: Vec<String> = match name.as_str() {
                "Rust" => vec![toolchain()],
                // tikv-jemalloc-sys's version carries the jemalloc it bundles: 0.7.1+5.3.1-0-g...
                "jemalloc" => locked["tikv-jemalloc-sys"]
                    .iter()
                    .filter_map(|v| v.split_once('+').map(|(_, bundled)| bundled.to_owned()))
                    .collect(),
                tool if tools.contains_key(tool) => vec![tools[tool].clone()],
                krate => locked.get(krate).cloned().unwrap_or_default(),
            };
            (!pinned.iter().any(|p| agrees(&stated, p)))
                .then(|| format!("{file}: `{name} {stated}`, but the workspace pins {pinned:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn agreement_is_by_whole_version_components() {
    assert!(agrees("0.7", "0.7.0"), "expected 0.7 to agree with 0.7.0");
    assert!(
        agrees(
            "0.7.1",
            "0.7.1+5.3.1-0-g81034ce1f1373e37dc865038e1bc8eeecf559ce8"
        ),
        "expected 0.7.1 to agree with a 0.7.1 build-metadata version"
    );
    assert!(
        agrees("1.95", "1.95.0"),
        "expected 1.95 to agree with 1.95.0"
    );
    assert!(
        !agrees("0.7", "0.70.1"),
        "expected 0.7 not to agree with 0.70.1: components are whole numbers"
    );
    assert!(
        !agrees("0.6", "0.7.0"),
        "expected 0.6 not to agree with 0.7.0"
    );
    assert!(
        agrees("5.3.1", "5.3.1-0-g81034ce1f1373e37dc865038e1bc8eeecf559ce8"),
        "expected 5.3.1 to agree with a 5.3.1 git-describe version"
    );
}
