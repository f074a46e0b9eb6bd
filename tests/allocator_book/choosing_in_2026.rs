//! The dated and versioned facts of "Choosing in 2026" (src/ch14-02-choosing-in-2026.md), read from
//! the sources the build really uses: the jemalloc ChangeLog that tikv-jemalloc-sys vendors, the
//! mimalloc header that libmimalloc-sys vendors, and the crates' own manifests. Each crate is found
//! through `cargo metadata --locked`, so the files read are the ones the lock file pins.
//!
//! Versions of crates are checked against the lock files by tests/allocator_book/versions.rs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

const CHAPTER: &str = "src/ch14-02-choosing-in-2026.md";

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

fn chapter() -> String {
    read(&book_harness::repo::root().join(CHAPTER))
}

/// One locked package: `(version, manifest_path, repository)`.
type Package = (String, PathBuf, String);

/// Every package of the root workspace's resolved graph, by name, from
/// `cargo metadata --locked --format-version 1`.
fn packages() -> &'static BTreeMap<String, Vec<Package>> {
    static PACKAGES: LazyLock<BTreeMap<String, Vec<Package>>> = LazyLock::new(|| {
        let output = std::process::Command::new(book_harness::repo::cargo())
            .args(["metadata", "--locked", "--format-version", "1"])
            .current_dir(book_harness::repo::root())
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "`cargo metadata --locked` failed; is Cargo.lock up to date?\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let metadata: Value =
            serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
        let mut packages: BTreeMap<String, Vec<Package>> = BTreeMap::new();
        for package in metadata["packages"].as_array().expect("a package list") {
            let field = |key: &str| package[key].as_str().unwrap_or_default().to_owned();
            packages.entry(field("name")).or_default().push((
                field("version"),
                PathBuf::from(field("manifest_path")),
                field("repository"),
            ));
        }
        packages
    });
    &PACKAGES
}

/// The source directory of the one locked version of `name`.
fn source_of(name: &str) -> PathBuf {
    let found = packages().get(name).cloned().unwrap_or_default();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one locked version of {name} in the root workspace, found {found:?}"
    );
    found[0]
        .1
        .parent()
        .expect("a manifest lies in a directory")
        .to_owned()
}

/// The vendored jemalloc ChangeLog, one entry per release: `("5.3.1 (Apr 13, 2026)", text)`, the
/// text with its line breaks and indentation folded into single spaces.
fn changelog() -> Vec<(String, String)> {
    let text = read(&source_of("tikv-jemalloc-sys").join("jemalloc/ChangeLog"));
    let mut entries: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("* ") {
            entries.push((heading.trim().to_owned(), String::new()));
        } else if let Some((_, body)) = entries.last_mut() {
            body.push(' ');
            body.push_str(line.trim());
        }
    }
    for (_, body) in &mut entries {
        *body = body.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    entries
}

fn entry(release: &str) -> (String, String) {
    changelog()
        .into_iter()
        .find(|(heading, _)| heading.starts_with(&format!("{release} (")))
        .unwrap_or_else(|| panic!("the vendored ChangeLog has no entry for jemalloc {release}"))
}

/// The chapter, with its line breaks folded, so a quoted sentence may wrap.
fn chapter_folded() -> String {
    chapter().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_vendored_changelog_dates_5_3_1_and_says_meta_tested_it() {
    let entries = changelog();
    let (newest, body) = entries.first().expect("the ChangeLog has entries");
    assert_eq!(
        newest, "5.3.1 (Apr 13, 2026)",
        "the newest release in the vendored ChangeLog"
    );
    let quote = "has gone through large-scale production testing at Meta";
    assert!(
        body.contains(quote),
        "the 5.3.1 entry no longer says {quote:?}: {body:.300}"
    );
    let chapter = chapter_folded();
    for stated in [quote, "13 April 2026", "jemalloc 5.3.1"] {
        assert!(chapter.contains(stated), "{CHAPTER} should say {stated:?}");
    }
    // 5.3.0 came almost four years earlier: the gap the chapter describes.
    assert_eq!(entries[1].0, "5.3.0 (May 6, 2022)");
    assert!(
        chapter.contains("6 May 2022"),
        "{CHAPTER} should say 6 May 2022"
    );
}

#[test]
fn jemalloc_5_0_0_removed_valgrind_support_and_no_later_release_brought_it_back() {
    let (heading, body) = entry("5.0.0");
    assert_eq!(heading, "5.0.0 (June 13, 2017)");
    assert!(
        body.contains("Remove Valgrind support."),
        "the 5.0.0 entry should list the removal of Valgrind support: {body:.300}"
    );
    let later: Vec<String> = changelog()
        .into_iter()
        .take_while(|(heading, _)| !heading.starts_with("5.0.0 ("))
        .filter(|(_, body)| body.to_lowercase().contains("valgrind"))
        .map(|(heading, _)| heading)
        .collect();
    assert!(
        later.is_empty(),
        "releases after 5.0.0 mention Valgrind again: {later:?}"
    );
    let chapter = chapter_folded();
    for stated in ["5.0.0 release", "13 June 2017"] {
        assert!(chapter.contains(stated), "{CHAPTER} should say {stated:?}");
    }
}

#[test]
fn the_vendored_jemalloc_5_3_1_fixes_bugs_and_adds_double_free_detection_to_debug_builds() {
    let (_, body) = entry("5.3.1");
    for section in ["Bug fixes:", "Enable process_madvise usage"] {
        assert!(
            body.contains(section),
            "the 5.3.1 entry lacks {section:?}: {body:.300}"
        );
    }
    assert!(
        body.contains("Add double free detection for the debug build."),
        "the 5.3.1 entry: {body:.300}"
    );
}

/// The version of the mimalloc C library that libmimalloc-sys builds by default (its `v3`
/// sources; the `v2` feature picks the others), from the vendored header.
fn vendored_mimalloc() -> String {
    let header = read(&source_of("libmimalloc-sys").join("c_src/mimalloc/v3/include/mimalloc.h"));
    static VERSION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"#define MI_MALLOC_VERSION\s+(\d+)").expect("valid regex"));
    let number: u32 = VERSION
        .captures(&header)
        .expect("mimalloc.h defines MI_MALLOC_VERSION")[1]
        .parse()
        .expect("a number");
    // "major + 2 digits minor + 2 digits patch": 30302 is 3.3.2.
    format!("{}.{}.{}", number / 10000, number / 100 % 100, number % 100)
}

#[test]
fn every_mimalloc_library_version_the_book_names_is_the_vendored_one() {
    let vendored = vendored_mimalloc();
    // "mimalloc 3.3.2": the C library. The crate's 0.x versions are tests/allocator_book/versions.rs's.
    let named = Regex::new(r"(?:^|[^\w-])mimalloc ([1-9]\d*\.\d+\.\d+)").expect("valid regex");
    let mut mentions = 0;
    for entry in std::fs::read_dir(book_harness::repo::root().join("src")).expect("src/") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        for caps in named.captures_iter(&read(&path)) {
            mentions += 1;
            assert_eq!(
                &caps[1],
                vendored,
                "{} names mimalloc {}, but libmimalloc-sys builds {vendored}",
                path.display(),
                &caps[1]
            );
        }
    }
    assert!(mentions > 0, "{CHAPTER} names the mimalloc it builds");
    // Chapter 14's workers read the same version at run time (`mi_version`).
    let environment = read(
        &book_harness::repo::root()
            .join("listings/ch14-benchmarks/01-benchmarks/results/run-1/environment.csv"),
    );
    assert!(
        environment
            .lines()
            .any(|line| line == format!("mimalloc,\"{vendored}\"")),
        "chapter 14's committed environment record should show mimalloc {vendored}"
    );
}

#[test]
fn the_repositories_the_chapter_links_are_the_crates_own() {
    let chapter = chapter();
    for krate in [
        "tikv-jemallocator",
        "tikv-jemalloc-sys",
        "mimalloc",
        "libmimalloc-sys",
    ] {
        let found = packages().get(krate).cloned().unwrap_or_default();
        let repository = found
            .first()
            .map(|(_, _, repository)| repository.clone())
            .unwrap_or_default();
        // libmimalloc-sys names a subdirectory of the same repository.
        let repository = repository
            .split("/tree/")
            .next()
            .unwrap_or_default()
            .to_owned();
        assert!(
            repository.starts_with("https://github.com/"),
            "{krate}'s manifest names its repository: {found:?}"
        );
        assert!(
            chapter.contains(&format!("({repository})")),
            "{CHAPTER} should link {krate}'s repository {repository}"
        );
    }
}
