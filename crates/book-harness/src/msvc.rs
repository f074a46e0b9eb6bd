//! The Windows promise, checked from Linux: every crate here builds for Windows with MSVC, where
//! jemalloc is gated off and `System` serves. Without Windows, what can be verified is that the
//! code type-checks for the target (`cargo check --target x86_64-pc-windows-msvc`), which needs the
//! target's standard library (`rustup target add`) but no Windows linker. Linking is left to the
//! CI workflow's Windows job.
//!
//! [`check_all`] checks the root workspace, every separate workspace (the root `exclude`) and
//! every template under `examples/` copied out of the repository the way
//! `tests/allocator_book/templates_standalone.rs` copies it ([`crate::templates::copy_out`]). A workspace or a
//! template that cannot be checked from Linux goes in [`NOT_CHECKED`], with the reason; the check
//! prints every one of them. `.ci/run` runs it as `cargo run -p book-harness --bin check-msvc`.

use std::path::Path;
use std::process::Command;

use crate::repo;
use crate::separate_workspace::{CargoRun, SeparateWorkspace};
use crate::templates;

/// The Windows target the book promises to build for.
///
/// ```
/// assert!(book_harness::msvc::TARGET.ends_with("-windows-msvc"));
/// ```
pub const TARGET: &str = "x86_64-pc-windows-msvc";

/// Separate workspaces and templates (paths from the repository root) that are not type-checked
/// for MSVC, each with why. A crate that compiles C in a build script for the target (a `-sys`
/// crate built with the `cc` crate) cannot be checked from Linux: there is no MSVC compiler here.
/// A template is checked as a copy out of the repository; a template that is also a separate
/// workspace (`examples/cdylib-for-c`) is not checked a second time in place.
///
/// ```
/// use book_harness::{msvc::NOT_CHECKED, repo::root};
///
/// // Every skipped path is a crate of the repository, and says why it is skipped.
/// for (path, reason) in NOT_CHECKED {
///     assert!(root().join(path).join("Cargo.toml").is_file(), "{path} is no crate");
///     assert!(!reason.is_empty(), "{path} has no reason");
/// }
/// ```
pub const NOT_CHECKED: &[(&str, &str)] = &[
    (
        "listings/ch08-taking-over-malloc/01-unprefixed",
        "chapter 8 measures jemalloc taking over C's malloc on Linux with glibc: its library reads \
         glibc's `mallinfo2` on every target",
    ),
    (
        "listings/ch09-libraries-do-not-choose/04-two-allocators",
        "its programs must not compile (two global allocators); chapter 9 records the error",
    ),
    (
        "examples/bin-mimalloc",
        "libmimalloc-sys compiles mimalloc with MSVC's compiler and librarian even for `cargo check` \
         (cc-rs: failed to find tool \"lib.exe\"); the CI workflow's Windows job builds and tests it",
    ),
    (
        "listings/ch14-02-choosing-in-2026/01-mimalloc-cdylib",
        "it depends on libmimalloc-sys, whose build script needs MSVC's compiler (see \
         examples/bin-mimalloc)",
    ),
    (
        "listings/ch11-02-python-host/02-pyo3-module",
        "a Python extension module for chapter 11's Linux host: PyO3 needs the target Python's \
         configuration to cross-compile (PYO3_CROSS_PYTHON_VERSION), which Linux has not got",
    ),
    (
        "listings/ch14-benchmarks/01-benchmarks",
        "the benchmarks read glibc's counters and /proc, so they build on Linux with glibc only: \
         their src/lib.rs stops any other build with compile_error!",
    ),
    (
        "tools/allocator-try/preload-jemalloc",
        "a library to LD_PRELOAD into a program on Linux with glibc (chapter 21); Windows has no \
         LD_PRELOAD, and the shared source stops any other build with compile_error!",
    ),
    (
        "tools/allocator-try/preload-mimalloc",
        "as tools/allocator-try/preload-jemalloc, and libmimalloc-sys needs MSVC's compiler (see \
         examples/bin-mimalloc)",
    ),
];

/// One check's outcome.
///
/// ```
/// let skipped = book_harness::msvc::Outcome { what: "tools/browser-check".into(), run: None };
/// assert!(skipped.passed(), "a skip with a reason passes");
/// ```
#[derive(Debug)]
pub struct Outcome {
    /// What was checked (a path from the repository root, or the root workspace).
    pub what: String,
    /// cargo's run, or `None` when it was skipped with a reason from [`NOT_CHECKED`].
    pub run: Option<CargoRun>,
}

impl Outcome {
    /// Whether the check passed (a skip with a reason counts as passed).
    ///
    /// ```
    /// use std::os::unix::process::ExitStatusExt;
    /// use book_harness::{msvc::Outcome, separate_workspace::CargoRun};
    ///
    /// let failed = Outcome {
    ///     what: "examples/bin-jemalloc".into(),
    ///     run: Some(CargoRun {
    ///         command: "cargo check".into(),
    ///         status: std::process::ExitStatus::from_raw(101 << 8),
    ///         output: String::new(),
    ///     }),
    /// };
    /// assert!(!failed.passed());
    /// ```
    pub fn passed(&self) -> bool {
        self.run.as_ref().is_none_or(|run| run.status.success())
    }
}

/// The reason `path` is in [`NOT_CHECKED`], if it is.
///
/// ```
/// use book_harness::msvc::not_checked;
///
/// assert!(not_checked("tools/allocator-try/preload-jemalloc").is_some());
/// assert_eq!(not_checked("examples/bin-jemalloc"), None, "checked as a copy");
/// ```
pub fn not_checked(path: &str) -> Option<&'static str> {
    NOT_CHECKED
        .iter()
        .find(|(skipped, _)| *skipped == path)
        .map(|(_, reason)| *reason)
}

/// Fails with the command to run when the toolchain lacks the target's standard library.
///
/// ```
/// // Either the target is installed, or the error says the command that installs it.
/// if let Err(message) = book_harness::msvc::require_target() {
///     assert!(message.contains("rustup target add x86_64-pc-windows-msvc"), "{message}");
/// }
/// ```
pub fn require_target() -> Result<(), String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .current_dir(repo::root())
        .output()
        .map_err(|err| format!("cannot run rustc --print sysroot: {err}"))?;
    let sysroot = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let lib = Path::new(&sysroot).join("lib/rustlib").join(TARGET);
    if lib.is_dir() {
        Ok(())
    } else {
        Err(format!(
            "the toolchain at {sysroot} has no standard library for {TARGET}: run \
             `rustup target add {TARGET}` in the repository (it installs it for the pinned \
             toolchain), then run this again"
        ))
    }
}

/// The separate workspaces: the `exclude` list of the root `Cargo.toml`.
///
/// ```
/// let separate = book_harness::msvc::separate_workspaces();
/// assert!(separate.iter().any(|path| path == "listings/ch10-rust-dylib"), "{separate:?}");
/// assert!(separate.iter().all(|path| !path.contains('#')), "comments are not entries");
/// ```
pub fn separate_workspaces() -> Vec<String> {
    let manifest = std::fs::read_to_string(repo::root().join("Cargo.toml"))
        .expect("the root Cargo.toml is readable");
    let list = manifest
        .split_once("\nexclude = [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map_or("", |(list, _)| list);
    list.lines()
        .map(str::trim)
        .filter(|line| !line.starts_with('#'))
        .flat_map(|line| line.split(','))
        .map(|item| item.trim().trim_matches('"'))
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether `path` (from the repository root) is a member of the root workspace: a crate under
/// `listings/` or `examples/` that is not in the root `exclude`.
fn is_root_member(path: &str) -> bool {
    (path.starts_with("listings/") || path.starts_with("examples/"))
        && repo::root().join(path).join("Cargo.toml").is_file()
        && !separate_workspaces()
            .iter()
            .any(|separate| separate == path)
}

/// The name of the package whose manifest is `<path>/Cargo.toml`: its first `name = "..."` line,
/// which is the `[package]` table's in every manifest of the book.
fn package_name(path: &str) -> Option<String> {
    let manifest = std::fs::read_to_string(repo::root().join(path).join("Cargo.toml")).ok()?;
    manifest.lines().find_map(|line| {
        let name = line.trim().strip_prefix("name = \"")?.strip_suffix('"')?;
        Some(name.to_owned())
    })
}

/// The templates: every directory under `examples/` with a `Cargo.toml`, sorted.
///
/// ```
/// let templates = book_harness::msvc::templates();
/// assert!(templates.contains(&"examples/bin-jemalloc".to_owned()), "{templates:?}");
/// assert!(templates.is_sorted());
/// ```
pub fn templates() -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(repo::root().join("examples"))
        .expect("examples/ is readable")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_string_lossy().into_owned();
            path.join("Cargo.toml")
                .is_file()
                .then(|| format!("examples/{name}"))
        })
        .collect();
    found.sort();
    found
}

/// Type-checks everything for [`TARGET`], printing each step to stderr; returns every outcome.
///
/// No example: it type-checks every workspace for Windows, minutes of work; run it with
/// `cargo run --locked -p book-harness --bin check-msvc`.
pub fn check_all() -> Vec<Outcome> {
    let check = ["check", "--target", TARGET];
    let mut outcomes = Vec::new();
    let mut record = |what: String, run: Option<CargoRun>| {
        match &run {
            None => {}
            Some(run) if run.status.success() => eprintln!("ok      {what}"),
            Some(run) => eprintln!("FAILED  {what}\n{run}"),
        }
        outcomes.push(Outcome { what, run });
    };

    eprintln!("--- the root workspace: cargo check --workspace --target {TARGET}");
    let mut args: Vec<String> = ["check", "--workspace", "--target", TARGET]
        .map(str::to_owned)
        .to_vec();
    for (path, reason) in NOT_CHECKED {
        if is_root_member(path) {
            eprintln!("skipped {path}: {reason}");
            let package = package_name(path)
                .unwrap_or_else(|| panic!("{path}/Cargo.toml names no package to --exclude"));
            args.extend(["--exclude".to_owned(), package]);
        }
    }
    let root = SeparateWorkspace::root_member(".")
        .cargo(&args.iter().map(String::as_str).collect::<Vec<_>>());
    record("the root workspace".to_owned(), Some(root));

    eprintln!("--- the separate workspaces (the root Cargo.toml's `exclude`)");
    for path in separate_workspaces() {
        if path.starts_with("examples/") {
            eprintln!("later   {path}: a template, checked below as a copy");
        } else if let Some(reason) = not_checked(&path) {
            eprintln!("skipped {path}: {reason}");
            record(path, None);
        } else {
            let run = SeparateWorkspace::at(&path).cargo(&check);
            record(path, Some(run));
        }
    }

    eprintln!("--- the templates, each copied out of the repository");
    for path in templates() {
        let run = match not_checked(&path) {
            Some(reason) => {
                eprintln!("skipped {path}: {reason}");
                None
            }
            None => Some(templates::copy_out(&path).workspace().cargo(&check)),
        };
        record(format!("{path} (copied out)"), run);
    }
    outcomes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_skip_names_a_separate_workspace_or_a_template_and_says_why() {
        let separate = separate_workspaces();
        let templates = templates();
        for (path, reason) in NOT_CHECKED {
            assert!(
                separate.iter().chain(&templates).any(|known| known == path)
                    || is_root_member(path),
                "NOT_CHECKED names {path}, which is neither a separate workspace (the root \
                 `exclude`: {separate:?}), a template ({templates:?}) nor a root member"
            );
            if is_root_member(path) {
                assert!(
                    package_name(path).is_some(),
                    "{path}: expected a package name in its Cargo.toml, so that check-msvc can \
                     --exclude it; found none"
                );
            }
            assert!(
                reason.len() > 20,
                "NOT_CHECKED gives {path} no real reason: {reason:?}"
            );
        }
    }

    #[test]
    fn the_separate_workspaces_and_templates_are_found() {
        let separate = separate_workspaces();
        assert!(
            separate.iter().any(|path| path == "examples/cdylib-for-c")
                && separate
                    .iter()
                    .all(|path| !path.contains('"') && !path.contains('#')),
            "expected clean paths from the root `exclude`, including examples/cdylib-for-c: \
             {separate:?}"
        );
        assert!(
            templates()
                .iter()
                .any(|path| path == "examples/staticlib-for-c"),
            "expected examples/staticlib-for-c among the templates: {:?}",
            templates()
        );
    }
}
