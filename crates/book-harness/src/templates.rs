//! Templates: crates under `examples/` that readers copy out of the repository. Each must build and
//! pass its tests on its own, so the check copies it to a directory outside the repository and
//! runs there, with its own committed `Cargo.lock`, the commands the appendix "The templates"
//! gives a reader, renaming the package included.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use std::process::Command;

use crate::process::run_merged;
use crate::separate_workspace::{CargoRun, SeparateWorkspace};
use crate::stamp::Stamp;

/// What in a template's `Cargo.toml` ties it to this repository: inherited workspace fields
/// (`edition.workspace = true`, `foo = { workspace = true }`) or path dependencies.
///
/// ```
/// use book_harness::templates::ties_to_the_repository;
///
/// let manifest = "[package]\nedition.workspace = true\n[dependencies]\nfoo = { path = \"../foo\" }\n";
/// assert_eq!(ties_to_the_repository(manifest), ["edition.workspace = true", "foo = { path = \"../foo\" }"]);
/// assert!(ties_to_the_repository("[package]\nedition = \"2024\"\n").is_empty());
/// ```
pub fn ties_to_the_repository(manifest: &str) -> Vec<String> {
    manifest
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with('#'))
        .filter(|line| {
            line.contains(".workspace = true")
                || line.contains("workspace = true")
                || line.contains("path =")
                || line.contains("path=")
        })
        .map(str::to_owned)
        .collect()
}

/// Tests the template at `dir` the way the appendix "The templates" tells a reader to: copies it
/// out of the repository ([`copy_out`]), runs the appendix's commands, renames the package as the
/// appendix says ([`Copied::rename_package`], to `renamed-<template>`), and runs the appendix's
/// commands for after the rename. The commands are read from the appendix itself
/// ([`reader_steps`]), so the book cannot tell a reader one thing while this tests another.
/// Panics when the manifest ties the template to the repository or when a command fails; returns
/// the last command's run.
///
/// Skipped when the repository is as it was at the last passing run ([`crate::stamp`]: the
/// template and the appendix are files of the repository).
///
/// No example: it builds and tests a template twice (before and after the rename), minutes on a
/// cold target directory; tests/allocator_book/templates_standalone.rs runs it for every template.
pub fn copy_out_and_test(dir: impl AsRef<Path>) -> CargoRun {
    let steps = reader_steps();
    let source = crate::repo::root().join(dir);
    let shown = format!(
        "copy {} out of the repository; {}; rename the package; {}",
        source.display(),
        steps.before_rename.join("; "),
        steps.after_rename.join("; ")
    );
    Stamp::for_workspace(shown, &source).run(|| copy_out_and_test_unstamped(&source))
}

/// [`copy_out_and_test`] without the stamp: always copies the template out and runs the
/// appendix's commands. For the harness's own tests, which check what a real run does.
///
/// No example: it builds and tests a template twice, minutes on a cold target directory.
pub fn copy_out_and_test_unstamped(dir: impl AsRef<Path>) -> CargoRun {
    let steps = reader_steps();
    let copy = copy_out(dir);
    for command in &steps.before_rename {
        copy.run(command).assert_success();
    }
    let new_name = format!("renamed-{}", copy.template_name());
    copy.rename_package(&new_name);
    let mut last = None;
    for command in &steps.after_rename {
        last = Some(copy.run(command).assert_success());
    }
    last.expect("the appendix gives at least one command for after the rename")
}

/// Like [`copy_out_and_test`] without the rename, with other cargo arguments, for a template that
/// must also be tested another way (`["test", "--features", "jemalloc"]`). `--locked` is added.
/// Each call copies the template to its own directory, so calls may run in parallel. Skipped,
/// like [`copy_out_and_test`], when the repository is as it was at the last passing run.
///
/// No example: it builds a template, minutes on a cold target directory;
/// tests/allocator_book/templates_standalone.rs runs it.
pub fn copy_out_and_cargo(dir: impl AsRef<Path>, args: &[&str]) -> CargoRun {
    let source = crate::repo::root().join(dir);
    let shown = format!(
        "copy {} out of the repository; cargo {} --locked",
        source.display(),
        args.join(" ")
    );
    Stamp::for_workspace(shown, &source)
        .run(|| copy_out(&source).workspace().cargo(args))
        .assert_success()
}

/// [`copy_out_and_cargo`] without the stamp: always copies the template out and runs cargo.
///
/// No example: it builds a template, minutes on a cold target directory.
pub fn copy_out_and_cargo_unstamped(dir: impl AsRef<Path>, args: &[&str]) -> CargoRun {
    copy_out(dir).workspace().cargo(args).assert_success()
}

/// A template copied out of the repository by [`copy_out`]; the copy is deleted when this drops.
///
/// ```
/// let copy = book_harness::templates::copy_out("examples/bin-jemalloc");
/// let dir = copy.dir().to_owned();
/// assert!(dir.join("Cargo.lock").is_file(), "the template's own lock file came along");
/// drop(copy);
/// assert!(!dir.exists(), "the copy is deleted when it drops");
/// ```
#[derive(Debug)]
pub struct Copied {
    template: String,
    dir: PathBuf,
}

/// Copies the template at `dir` (relative to the repository root, or absolute) to a directory of
/// its own in the system's temporary directory, without any `target/`. Builds in the copy go to
/// the shared target directory, so they reuse dependency builds.
/// Panics when the manifest ties the template to the repository (workspace inheritance, path
/// dependencies) or when the copy fails.
///
/// ```
/// use book_harness::templates::copy_out;
///
/// let copy = copy_out("examples/bin-jemalloc");
/// assert!(!copy.dir().starts_with(book_harness::repo::root()), "outside the repository");
/// assert!(!copy.dir().join("target").exists(), "without a target directory");
/// // A crate that inherits from the workspace is not a template.
/// assert!(std::panic::catch_unwind(|| copy_out("crates/ch03-probe")).is_err());
/// ```
pub fn copy_out(dir: impl AsRef<Path>) -> Copied {
    static COPIES: AtomicUsize = AtomicUsize::new(0);
    let dir = crate::repo::root().join(dir);
    let manifest = fs::read_to_string(dir.join("Cargo.toml"))
        .unwrap_or_else(|err| panic!("{} has no readable Cargo.toml: {err}", dir.display()));
    let ties = ties_to_the_repository(&manifest);
    assert!(
        ties.is_empty(),
        "{} is a template, so it must stand alone: no workspace inheritance, no path dependencies. \
         Found:\n{}",
        dir.display(),
        ties.join("\n")
    );
    let template = dir
        .file_name()
        .expect("a template directory has a name")
        .to_string_lossy()
        .into_owned();
    let copy = std::env::temp_dir()
        .join("allocator-book-templates")
        .join(format!(
            "{template}-{}-{}",
            std::process::id(),
            COPIES.fetch_add(1, Ordering::Relaxed)
        ));
    let _ = fs::remove_dir_all(&copy);
    copy_tree(&dir, &copy);
    Copied {
        template,
        dir: copy,
    }
}

impl Copied {
    /// The copy's directory.
    ///
    /// ```
    /// let copy = book_harness::templates::copy_out("examples/bin-jemalloc");
    /// assert!(copy.dir().join("Cargo.toml").is_file());
    /// ```
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The name of the template's directory under `examples/` (`cdylib-for-c`).
    ///
    /// ```
    /// let copy = book_harness::templates::copy_out("examples/bin-jemalloc");
    /// assert_eq!(copy.template_name(), "bin-jemalloc");
    /// ```
    pub fn template_name(&self) -> &str {
        &self.template
    }

    /// The copy as a workspace, for cargo commands with `--locked` and the shared target directory.
    ///
    /// ```
    /// let copy = book_harness::templates::copy_out("examples/bin-jemalloc");
    /// assert_eq!(copy.workspace().dir(), copy.dir());
    /// assert_eq!(copy.workspace().target_dir(), book_harness::repo::target_dir(), "shared builds");
    /// ```
    pub fn workspace(&self) -> SeparateWorkspace {
        SeparateWorkspace::at(&self.dir)
    }

    /// The `name` of the copy's `[package]`.
    ///
    /// ```
    /// let copy = book_harness::templates::copy_out("examples/bin-jemalloc");
    /// assert_eq!(copy.package_name(), "bin-jemalloc");
    /// ```
    pub fn package_name(&self) -> String {
        let manifest = self.manifest();
        let (_, value) = package_name_line(&manifest).unwrap_or_else(|| {
            panic!(
                "{}/Cargo.toml has no `name = \"...\"` line under [package]",
                self.dir.display()
            )
        });
        value
    }

    /// Renames the package as a reader does: sets `name` under `[package]` in `Cargo.toml`, and
    /// touches nothing else. The old name's libraries (`lib<old_name>.so`, `.a`) are then removed
    /// from the shared target directory, so that a test that still looked for the old file name
    /// would fail instead of finding the build from before the rename.
    ///
    /// ```
    /// let copy = book_harness::templates::copy_out("examples/bin-jemalloc");
    /// copy.rename_package("my-program");
    /// assert_eq!(copy.package_name(), "my-program");
    /// ```
    pub fn rename_package(&self, new_name: &str) {
        let manifest = self.manifest();
        let (line, old_name) = package_name_line(&manifest).unwrap_or_else(|| {
            panic!(
                "{}/Cargo.toml has no `name = \"...\"` line under [package]",
                self.dir.display()
            )
        });
        let renamed: Vec<String> = manifest
            .lines()
            .enumerate()
            .map(|(i, text)| {
                if i == line {
                    format!("name = \"{new_name}\"")
                } else {
                    text.to_owned()
                }
            })
            .collect();
        let path = self.dir.join("Cargo.toml");
        fs::write(&path, renamed.join("\n") + "\n")
            .unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
        let old_library = old_name.replace('-', "_");
        for profile in ["debug", "release"] {
            for extension in ["so", "a"] {
                let stale = crate::repo::target_dir()
                    .join(profile)
                    .join(format!("lib{old_library}.{extension}"));
                let _ = fs::remove_file(stale);
            }
        }
    }

    /// Runs one command line of the appendix in the copy, as a reader would in its directory.
    /// Only `cargo` commands are accepted (the pinned cargo runs them); the words are split at
    /// spaces, without a shell. Builds go to the shared target directory (`CARGO_TARGET_DIR`).
    ///
    /// ```
    /// let copy = book_harness::templates::copy_out("examples/bin-jemalloc");
    /// let run = copy.run("cargo locate-project --message-format plain").assert_success();
    /// assert_eq!(run.output.trim_end(), copy.dir().join("Cargo.toml").display().to_string());
    /// // Only cargo commands: the appendix's other lines are what the copy itself does.
    /// assert!(std::panic::catch_unwind(|| copy.run("ls")).is_err());
    /// ```
    pub fn run(&self, command_line: &str) -> CargoRun {
        let words: Vec<&str> = command_line.split_whitespace().collect();
        assert!(
            words.first() == Some(&"cargo") && words.len() > 1,
            "the appendix's command `{command_line}` is not a cargo command; the template test \
             runs only `cargo ...` lines"
        );
        let mut command = Command::new(crate::repo::cargo());
        command
            .args(&words[1..])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", crate::repo::target_dir())
            .env_remove("CARGO_BUILD_TARGET_DIR");
        let shown = format!("{command_line}   (in {})", self.dir.display());
        let (status, output) = run_merged(command)
            .unwrap_or_else(|err| panic!("cannot run `{shown}`: {err} (is cargo on PATH?)"));
        CargoRun {
            command: shown,
            status,
            output,
        }
    }

    fn manifest(&self) -> String {
        let path = self.dir.join("Cargo.toml");
        fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
    }
}

impl Drop for Copied {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// The index and value of the `name = "..."` line of the manifest's `[package]` table.
fn package_name_line(manifest: &str) -> Option<(usize, String)> {
    let mut in_package = false;
    for (i, line) in manifest.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package && let Some(value) = line.strip_prefix("name") {
            let value = value.trim_start().strip_prefix('=')?.trim();
            return Some((i, value.trim_matches('"').to_owned()));
        }
    }
    None
}

/// The commands that the appendix "The templates" (`src/appendix-templates.md`) gives a reader
/// who copies a template: its section "Copying one" holds two `console` blocks. The first starts
/// with `cp -r examples/<template> <dir>` and `cd <dir>` (what [`copy_out`] does) and goes on with
/// the commands to run before renaming the package; the second holds the commands to run after.
///
/// ```
/// let steps = book_harness::templates::reader_steps();
/// assert!(steps.before_rename.iter().all(|command| command.starts_with("cargo ")));
/// assert!(!steps.after_rename.is_empty(), "a reader has something to run after the rename");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderSteps {
    /// Commands after `cp` and `cd`, before the rename.
    pub before_rename: Vec<String>,
    /// Commands after the rename.
    pub after_rename: Vec<String>,
}

/// Reads [`ReaderSteps`] from the appendix; panics saying what it expected when the section's
/// shape differs.
///
/// ```
/// let steps = book_harness::templates::reader_steps();
/// assert!(steps.after_rename.iter().any(|command| command.starts_with("cargo test")));
/// ```
pub fn reader_steps() -> ReaderSteps {
    let path = crate::repo::root().join(APPENDIX);
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    parse_reader_steps(&text).unwrap_or_else(|problem| panic!("{APPENDIX}: {problem}"))
}

/// Where the reader's steps are written.
///
/// ```
/// let appendix = book_harness::repo::root().join(book_harness::templates::APPENDIX);
/// assert!(appendix.is_file(), "{}", appendix.display());
/// ```
pub const APPENDIX: &str = "src/appendix-templates.md";

const SECTION: &str = "## Copying one";

fn parse_reader_steps(text: &str) -> Result<ReaderSteps, String> {
    let section = text
        .split_once(&format!("\n{SECTION}\n"))
        .ok_or_else(|| format!("no `{SECTION}` section"))?
        .1;
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in section.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```console") => current = Some(Vec::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(lines), text) if !text.trim().is_empty() => lines.push(text.trim().to_owned()),
            _ => {}
        }
    }
    let [first, second] = <[Vec<String>; 2]>::try_from(blocks).map_err(|blocks| {
        format!(
            "`{SECTION}` must hold exactly two ```console blocks (before and after the rename), \
             found {}",
            blocks.len()
        )
    })?;
    let (copy_line, rest) = first
        .split_first()
        .ok_or("the first console block is empty")?;
    let destination = copy_line
        .strip_prefix("cp -r examples/")
        .and_then(|rest| rest.split_whitespace().nth(1))
        .ok_or_else(|| {
            format!("the first console block must start with `cp -r examples/<template> <dir>`, not `{copy_line}`")
        })?;
    let (cd_line, before_rename) = rest
        .split_first()
        .ok_or("the first console block has no `cd` line")?;
    if *cd_line != format!("cd {destination}") {
        return Err(format!(
            "the second line of the first console block must be `cd {destination}`, not `{cd_line}`"
        ));
    }
    if before_rename.is_empty() || second.is_empty() {
        return Err("both console blocks must give at least one command to run".to_owned());
    }
    Ok(ReaderSteps {
        before_rename: before_rename.to_vec(),
        after_rename: second,
    })
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|err| panic!("cannot create {}: {err}", to.display()));
    let entries =
        fs::read_dir(from).unwrap_or_else(|err| panic!("cannot list {}: {err}", from.display()));
    for entry in entries {
        let entry = entry.expect("a readable directory entry");
        let source: PathBuf = entry.path();
        let target = to.join(entry.file_name());
        if source.is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&source, &target);
            }
        } else {
            fs::copy(&source, &target).unwrap_or_else(|err| {
                panic!(
                    "cannot copy {} to {}: {err}",
                    source.display(),
                    target.display()
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEPS: &str = "# The templates\n\n## Copying one\n\n```console\ncp -r examples/bin-jemalloc ~/my-program\ncd ~/my-program\ncargo test --locked\n```\n\nThen rename it:\n\n```console\ncargo update --workspace\ncargo test --locked\n```\n\n## Next\n\n```console\ncargo run\n```\n";

    #[test]
    fn the_reader_steps_are_the_two_console_blocks_after_cp_and_cd() {
        assert_eq!(
            parse_reader_steps(STEPS),
            Ok(ReaderSteps {
                before_rename: vec!["cargo test --locked".to_owned()],
                after_rename: vec![
                    "cargo update --workspace".to_owned(),
                    "cargo test --locked".to_owned()
                ],
            })
        );
    }

    #[test]
    fn reader_steps_of_another_shape_are_refused() {
        let no_cd = STEPS.replace("cd ~/my-program\n", "");
        let one_block = STEPS.replace("```console\ncargo update", "```text\ncargo update");
        for (text, expected) in [
            (no_cd.as_str(), "must be `cd ~/my-program`"),
            (one_block.as_str(), "exactly two ```console blocks"),
            ("# T\n", "no `## Copying one` section"),
        ] {
            let problem = parse_reader_steps(text).expect_err("a malformed section is refused");
            assert!(
                problem.contains(expected),
                "expected a problem saying {expected:?}, got {problem:?}"
            );
        }
    }

    #[test]
    fn the_package_name_is_the_name_line_of_the_package_table() {
        let manifest = "[workspace]\nname = \"no\"\n\n[package]\nversion = \"0.1.0\"\nname = \"my-lib\"\n[lib]\nname = \"other\"\n";
        assert_eq!(package_name_line(manifest), Some((5, "my-lib".to_owned())));
        assert_eq!(package_name_line("[lib]\nname = \"x\"\n"), None);
    }

    #[test]
    fn inherited_fields_and_path_dependencies_are_ties() {
        let manifest = "[package]\nedition.workspace = true\n[dependencies]\nprobe = { path = \"../probe\" }\nlibc = { workspace = true }\nserde = \"1\"\n# path = \"in a comment\"\n";
        assert_eq!(
            ties_to_the_repository(manifest),
            [
                "edition.workspace = true",
                "probe = { path = \"../probe\" }",
                "libc = { workspace = true }"
            ]
        );
    }
}
