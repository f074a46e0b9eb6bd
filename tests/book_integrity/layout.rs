//! The repository's own structure, as CONTRIBUTING.md describes it: where listings and shared
//! crates live and how they are named, and what every separate workspace must have.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::book::{root, subdirectories};

/// A listing crate's directory inside its chapter's folder: `NN-slug`.
static LISTING_DIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<number>[0-9]{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$").expect("a valid regex")
});

/// A chapter file's stem and the prefix its listings' packages carry: `ch09` for
/// `ch09-libraries-do-not-choose`, `ch11-02` for the section `ch11-02-python-host`.
static CHAPTER_STEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<prefix>ch[0-9]{2}(?:-[0-9]{2})?)-[a-z0-9-]+$").expect("a valid regex")
});

/// Separate workspaces that no Rust file names by path, and what drives them instead.
pub const DRIVEN_ELSEWHERE: &[(&str, &str)] = &[
    (
        "tools/browser-check",
        "the README's optional third command; .ci/run runs it after the two test commands",
    ),
    (
        "tools/allocator-try/preload-jemalloc",
        "tools/allocator-try/tests/allocator_try/preloaded.rs builds it as format!(\"tools/allocator-try/{package}\")",
    ),
    (
        "tools/allocator-try/preload-mimalloc",
        "tools/allocator-try/tests/allocator_try/preloaded.rs builds it as format!(\"tools/allocator-try/{package}\")",
    ),
];

/// The crates whose versions every lock file must agree on: the allocators the book compares.
const ALLOCATOR_CRATES: &[&str] = &[
    "tikv-jemalloc-sys",
    "tikv-jemallocator",
    "tikv-jemalloc-ctl",
    "mimalloc",
    "libmimalloc-sys",
];

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

fn parse(path: &Path) -> toml::Table {
    read(path)
        .parse()
        .unwrap_or_else(|err| panic!("{} is not valid TOML: {err}", path.display()))
}

/// The `[package] name` of a manifest, if it has a package.
fn package_name(manifest: &toml::Table) -> Option<&str> {
    manifest.get("package")?.get("name")?.as_str()
}

/// Every file under `dir` (outside `target/`, `book/` and hidden directories) whose name is `name`.
fn files_named(dir: &Path, name: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, name: &str, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let file = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !file.starts_with('.') && file != "target" && file != "book" {
                    walk(&path, name, out);
                }
            } else if file == name {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, name, &mut out);
    out.sort();
    out
}

/// Every `.rs` file of the repository (outside `target/`, `book/` and hidden directories).
fn rust_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let file = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !file.starts_with('.') && file != "target" && file != "book" {
                    walk(&path, out);
                }
            } else if file.ends_with(".rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(root(), &mut out);
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The problems with `listings/`: each folder is a chapter file's stem; inside it, only numbered
/// listing crates (`01-slug`, `02-slug`, ... without gaps), each a package named
/// `<chapter prefix>-<slug>`, plus a virtual manifest and its lock when the folder is one
/// separate workspace.
pub fn listing_problems(listings: &Path, src: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let entries = std::fs::read_dir(listings)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", listings.display()));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().is_dir() {
            problems.push(format!(
                "listings/{name}: only chapter folders belong in listings/"
            ));
        }
    }
    for chapter in subdirectories(listings) {
        let folder = listings.join(&chapter);
        let Some(stem) = CHAPTER_STEM.captures(&chapter) else {
            problems.push(format!(
                "listings/{chapter}: expected a chapter file's stem (chNN-slug or chNN-MM-slug)"
            ));
            continue;
        };
        if !src.join(format!("{chapter}.md")).is_file() {
            problems.push(format!(
                "listings/{chapter}: no chapter src/{chapter}.md; name the folder after the chapter \
                 file that shows its listings"
            ));
        }
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_file() && file != "Cargo.toml" && file != "Cargo.lock" {
                problems.push(format!(
                    "listings/{chapter}/{file}: a chapter folder holds only listing crates (and the \
                     manifest of a workspace over them)"
                ));
            }
        }
        if folder.join("Cargo.toml").is_file()
            && package_name(&parse(&folder.join("Cargo.toml"))).is_some()
        {
            problems.push(format!(
                "listings/{chapter}/Cargo.toml: a chapter folder's manifest may only be a virtual \
                 workspace; move the package into a numbered listing"
            ));
        }
        for (index, listing) in subdirectories(&folder).iter().enumerate() {
            let at = format!("listings/{chapter}/{listing}");
            let Some(parts) = LISTING_DIR.captures(listing) else {
                problems.push(format!("{at}: expected a numbered listing, NN-slug"));
                continue;
            };
            let expected_number = format!("{:02}", index + 1);
            if parts["number"] != expected_number {
                problems.push(format!(
                    "{at}: expected number {expected_number} (listings are numbered 01, 02, ... \
                     without gaps), found {}",
                    &parts["number"]
                ));
            }
            let manifest = folder.join(listing).join("Cargo.toml");
            if !manifest.is_file() {
                problems.push(format!("{at}: a listing is a crate; it has no Cargo.toml"));
                continue;
            }
            let expected = format!("{}-{}", &stem["prefix"], &parts["slug"]);
            match package_name(&parse(&manifest)) {
                Some(name) if name == expected => {}
                found => problems.push(format!(
                    "{at}: expected package name {expected:?}, found {found:?}"
                )),
            }
        }
    }
    problems
}

/// The problems with `crates/`: each shared crate's folder is its package's name.
pub fn shared_crate_problems(crates: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for name in subdirectories(crates) {
        let manifest = crates.join(&name).join("Cargo.toml");
        if !manifest.is_file() {
            problems.push(format!("crates/{name}: a shared crate needs a Cargo.toml"));
            continue;
        }
        match package_name(&parse(&manifest)) {
            Some(package) if package == name => {}
            found => problems.push(format!(
                "crates/{name}: expected the package to be named after its folder, found {found:?}"
            )),
        }
    }
    problems
}

#[test]
fn listings_and_shared_crates_follow_the_naming_scheme() {
    let mut problems = listing_problems(&root().join("listings"), &root().join("src"));
    problems.extend(shared_crate_problems(&root().join("crates")));
    assert!(
        problems.is_empty(),
        "the layout breaks the naming scheme of CONTRIBUTING.md:\n{}",
        problems.join("\n")
    );
}

#[test]
fn only_test_code_is_called_a_fixture() {
    let mut problems = Vec::new();
    for manifest in files_named(root(), "Cargo.toml") {
        let path = relative(&manifest);
        let components: Vec<&str> = path.split('/').collect();
        if let Some(at) = components.iter().position(|part| *part == "fixtures")
            && (at == 0 || components[at - 1] != "tests")
        {
            problems.push(path);
        }
    }
    for page in crate::book::pages() {
        for include in crate::includes::of(&page) {
            if include
                .target
                .components()
                .any(|part| part.as_os_str() == "fixtures")
            {
                problems.push(format!(
                    "{} includes {}: code readers see is a listing, not a fixture",
                    page.path.display(),
                    include.target.display()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "fixtures live only directly under a tests/ folder, and no chapter shows one:\n{}",
        problems.join("\n")
    );
}

/// The binary and library targets a manifest declares (explicitly or by Cargo's conventions),
/// as the file names they build to in the shared target directory.
fn artifact_names(manifest_path: &Path) -> Vec<String> {
    let manifest = parse(manifest_path);
    let dir = manifest_path.parent().expect("a manifest has a folder");
    let Some(package) = package_name(&manifest) else {
        return Vec::new();
    };
    let mut names = BTreeSet::new();
    let bins = manifest.get("bin").and_then(|bins| bins.as_array());
    for bin in bins.into_iter().flatten() {
        if let Some(name) = bin.get("name").and_then(|name| name.as_str()) {
            names.insert(format!("bin {name}"));
        }
    }
    if manifest
        .get("package")
        .and_then(|p| p.get("autobins"))
        .and_then(|a| a.as_bool())
        != Some(false)
    {
        if dir.join("src/main.rs").is_file() {
            names.insert(format!("bin {package}"));
        }
        for entry in std::fs::read_dir(dir.join("src/bin"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let file = entry.file_name().to_string_lossy().into_owned();
            if let Some(stem) = file.strip_suffix(".rs") {
                names.insert(format!("bin {stem}"));
            } else if entry.path().join("main.rs").is_file() {
                names.insert(format!("bin {file}"));
            }
        }
    }
    let lib = manifest.get("lib");
    let crate_types: Vec<&str> = lib
        .and_then(|lib| lib.get("crate-type"))
        .and_then(|types| types.as_array())
        .map(|types| types.iter().filter_map(|t| t.as_str()).collect())
        .unwrap_or_default();
    if crate_types
        .iter()
        .any(|t| matches!(*t, "cdylib" | "dylib" | "staticlib"))
    {
        let name = lib
            .and_then(|lib| lib.get("name"))
            .and_then(|name| name.as_str())
            .map_or_else(|| package.replace('-', "_"), str::to_owned);
        names.insert(format!("library {name}"));
    }
    names.into_iter().collect()
}

#[test]
fn binary_and_library_names_are_unique_across_every_workspace() {
    let mut owners: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for manifest in files_named(root(), "Cargo.toml") {
        for name in artifact_names(&manifest) {
            owners.entry(name).or_default().push(relative(&manifest));
        }
    }
    let clashes: Vec<String> = owners
        .into_iter()
        .filter(|(_, manifests)| manifests.len() > 1)
        .map(|(name, manifests)| format!("{name}: {}", manifests.join(", ")))
        .collect();
    assert!(
        clashes.is_empty(),
        "every workspace builds into the root target/, where two targets with one name overwrite \
         each other; rename one of each:\n{}",
        clashes.join("\n")
    );
}

/// The root manifest's `exclude` entries: the separate workspaces.
pub fn separate_workspaces() -> Vec<String> {
    let manifest = parse(&root().join("Cargo.toml"));
    manifest["workspace"]["exclude"]
        .as_array()
        .expect("the root workspace has an `exclude` list")
        .iter()
        .filter_map(|entry| entry.as_str().map(str::to_owned))
        .collect()
}

/// The problems of each separate workspace: its committed lock file, and something that drives it.
pub fn separate_workspace_problems(
    workspaces: &[String],
    sources: &[(String, String)],
    driven_elsewhere: &[(&str, &str)],
) -> Vec<String> {
    let mut problems = Vec::new();
    for workspace in workspaces {
        let dir = root().join(workspace);
        if !dir.join("Cargo.lock").is_file() {
            problems.push(format!(
                "{workspace}: no Cargo.lock; run `cargo generate-lockfile --manifest-path \
                 {workspace}/Cargo.toml` and commit it"
            ));
        }
        let literal = format!("\"{workspace}\"");
        // A file that builds separate workspaces, outside this one and outside the harness (whose
        // lists name workspaces without driving them).
        let named = sources.iter().any(|(path, text)| {
            !path.starts_with(&format!("{workspace}/"))
                && !path.starts_with("crates/book-harness/src/")
                && text.contains("SeparateWorkspace")
                && text.contains(&literal)
        });
        let elsewhere = driven_elsewhere.iter().any(|(path, _)| path == workspace);
        if !named && !elsewhere {
            problems.push(format!(
                "{workspace}: no test names it (as the string {literal}); `cargo test --workspace` \
                 never reaches a separate workspace unless a test builds it"
            ));
        }
    }
    for (path, _) in driven_elsewhere {
        if !workspaces.iter().any(|workspace| workspace == path) {
            problems.push(format!(
                "DRIVEN_ELSEWHERE names {path}, which is not in `exclude`"
            ));
        }
    }
    problems
}

#[test]
fn every_separate_workspace_has_a_lock_file_and_a_test_that_drives_it() {
    let sources: Vec<(String, String)> = rust_files()
        .into_iter()
        .map(|path| (relative(&path), read(&path)))
        .collect();
    let problems = separate_workspace_problems(&separate_workspaces(), &sources, DRIVEN_ELSEWHERE);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// For each allocator crate, the versions the lock files hold, with the lock files that hold each.
pub fn allocator_versions(
    locks: &[(String, toml::Table)],
) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut versions: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (path, lock) in locks {
        let packages = lock.get("package").and_then(|p| p.as_array());
        for package in packages.into_iter().flatten() {
            let name = package
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or_default();
            let version = package
                .get("version")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            if ALLOCATOR_CRATES.contains(&name) {
                versions
                    .entry(name.to_owned())
                    .or_default()
                    .entry(version.to_owned())
                    .or_default()
                    .push(path.clone());
            }
        }
    }
    versions
}

#[test]
fn every_lock_file_pins_the_same_allocator_versions() {
    let locks: Vec<(String, toml::Table)> = files_named(root(), "Cargo.lock")
        .into_iter()
        .map(|path| (relative(&path), parse(&path)))
        .collect();
    assert!(
        locks.len() > 10,
        "expected the book's lock files, found {}",
        locks.len()
    );
    let disagreements: Vec<String> = allocator_versions(&locks)
        .into_iter()
        .filter(|(_, versions)| versions.len() > 1)
        .map(|(name, versions)| format!("{name}: {versions:?}"))
        .collect();
    assert!(
        disagreements.is_empty(),
        "the lock files disagree on an allocator's version, so chapters would measure different \
         builds; align them with `cargo update --precise`:\n{}",
        disagreements.join("\n")
    );
}

#[test]
fn every_manifest_says_edition_2024_and_rust_version_1_95() {
    let root_manifest = parse(&root().join("Cargo.toml"));
    let shared = &root_manifest["workspace"]["package"];
    assert_eq!(
        shared["edition"].as_str(),
        Some("2024"),
        "the root's [workspace.package] edition"
    );
    assert_eq!(
        shared["rust-version"].as_str(),
        Some("1.95"),
        "the root's [workspace.package] rust-version"
    );
    let mut problems = Vec::new();
    for path in files_named(root(), "Cargo.toml") {
        let manifest = parse(&path);
        let Some(package) = manifest.get("package") else {
            continue;
        };
        for (key, expected) in [("edition", "2024"), ("rust-version", "1.95")] {
            let value = package.get(key);
            let inherited = value
                .and_then(|v| v.get("workspace"))
                .and_then(|w| w.as_bool())
                == Some(true);
            if !inherited && value.and_then(|v| v.as_str()) != Some(expected) {
                problems.push(format!(
                    "{}: expected {key} = \"{expected}\" (or {key}.workspace = true), found {:?}",
                    relative(&path),
                    value.map(ToString::to_string)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

mod the_checks_themselves {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = book_harness::repo::target_dir()
            .join("tmp/layout-check")
            .join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).expect("a writable target directory");
        std::fs::create_dir_all(dir.join("listings")).expect("a writable target directory");
        dir
    }

    fn crate_at(dir: &Path, name: &str) {
        std::fs::create_dir_all(dir).expect("a writable target directory");
        std::fs::write(
            dir.join("Cargo.toml"),
            format!("[package]\nname = \"{name}\"\nedition = \"2024\"\n"),
        )
        .expect("a writable target directory");
    }

    #[test]
    fn a_listing_that_breaks_the_scheme_is_named() {
        let dir = scratch("listings");
        std::fs::write(dir.join("src/ch09-libraries.md"), "# 9\n").expect("writable");
        crate_at(&dir.join("listings/ch09-libraries/01-good"), "ch09-good");
        crate_at(&dir.join("listings/ch09-libraries/03-gap"), "ch09-gap");
        crate_at(
            &dir.join("listings/ch09-libraries/04-misnamed"),
            "ch09-04-misnamed",
        );
        crate_at(&dir.join("listings/ch09-libraries/extra"), "ch09-extra");
        crate_at(&dir.join("listings/ch10-no-chapter/01-x"), "ch10-x");
        crate_at(&dir.join("listings/probe/01-x"), "x");
        std::fs::write(dir.join("listings/ch09-libraries/notes.txt"), "").expect("writable");
        let problems = listing_problems(&dir.join("listings"), &dir.join("src")).join("\n");
        for expected in [
            "03-gap: expected number 02",
            "04-misnamed: expected package name \"ch09-misnamed\"",
            "listings/ch09-libraries/extra: expected a numbered listing",
            "listings/ch10-no-chapter: no chapter src/ch10-no-chapter.md",
            "listings/probe: expected a chapter file's stem",
            "listings/ch09-libraries/notes.txt: a chapter folder holds only listing crates",
        ] {
            assert!(
                problems.contains(expected),
                "expected {expected:?} in:\n{problems}"
            );
        }
        assert!(
            !problems.contains("01-good"),
            "01-good follows the scheme:\n{problems}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_shared_crate_named_unlike_its_folder_is_named() {
        let dir = scratch("crates");
        crate_at(&dir.join("crates/probe"), "ch03-probe");
        crate_at(&dir.join("crates/book-harness"), "book-harness");
        let problems = shared_crate_problems(&dir.join("crates")).join("\n");
        assert!(problems.contains("crates/probe: expected"), "{problems}");
        assert!(!problems.contains("book-harness"), "{problems}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_undriven_or_unlocked_separate_workspace_is_named() {
        let workspaces = vec![
            "listings/ch98-example/01-driven".to_owned(),
            "listings/ch99-nothing/01-nowhere".to_owned(),
        ];
        let literal = "SeparateWorkspace::at(\"listings/ch98-example/01-driven\")";
        let only_itself_and_the_harness = vec![
            (
                "listings/ch98-example/01-driven/tests/x.rs".to_owned(),
                literal.to_owned(),
            ),
            (
                "crates/book-harness/src/msvc.rs".to_owned(),
                literal.to_owned(),
            ),
        ];
        let problems =
            separate_workspace_problems(&workspaces, &only_itself_and_the_harness, &[]).join("\n");
        assert!(
            problems.contains("01-driven: no test names it"),
            "{problems}"
        );
        assert!(problems.contains("01-nowhere: no Cargo.lock"), "{problems}");
        let stale = separate_workspace_problems(&[], &[], &[("tools/gone", "why")]).join("\n");
        assert!(
            stale.contains("DRIVEN_ELSEWHERE names tools/gone"),
            "{stale}"
        );
    }

    #[test]
    fn two_lock_files_with_different_jemalloc_versions_disagree() {
        let lock = |version: &str| -> toml::Table {
            format!("[[package]]\nname = \"tikv-jemalloc-sys\"\nversion = \"{version}\"\n")
                .parse()
                .expect("valid TOML")
        };
        let locks = vec![
            ("a/Cargo.lock".to_owned(), lock("0.7.1")),
            ("b/Cargo.lock".to_owned(), lock("0.6.0")),
        ];
        let versions = allocator_versions(&locks);
        assert_eq!(versions["tikv-jemalloc-sys"].len(), 2, "{versions:?}");
    }
}

/// Every `` `path/file.rs::test_name` `` in CONTRIBUTING.md: its checklists say which test
/// enforces each step, so each name must be a test that exists.
#[test]
fn every_test_contributing_md_names_exists() {
    let guide = read(&root().join("CONTRIBUTING.md"));
    let named = Regex::new(r"`([\w./-]+\.rs)::(\w+)`").expect("a valid regex");
    let mut problems = Vec::new();
    let mut count = 0;
    // `path/to/file.rs::test_name` and the like show the form itself, not a test.
    for found in named
        .captures_iter(&guide)
        .filter(|found| !found[1].starts_with("path/"))
    {
        count += 1;
        let test = crate::verified::NamedTest {
            file: PathBuf::from(&found[1]),
            name: found[2].to_owned(),
        };
        if let Err(problem) = test.check() {
            problems.push(problem);
        }
    }
    assert!(
        count >= 15,
        "expected CONTRIBUTING.md to name the tests behind its checklists, found {count}"
    );
    assert!(
        problems.is_empty(),
        "CONTRIBUTING.md: {}",
        problems.join("\n")
    );
}
