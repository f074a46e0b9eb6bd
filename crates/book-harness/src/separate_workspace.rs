//! Listings that are their own Cargo workspace, built and tested from the root workspace's tests.
//!
//! Cargo unifies a dependency's features across all packages of one build, so a listing that needs
//! a different jemalloc configuration (unprefixed `malloc`, `disable_initial_exec_tls`) would change
//! every other listing's jemalloc. A Rust `dylib` cannot be a primary package of a workspace build
//! at all. Such a listing has its own `[workspace]`, its own `Cargo.lock`, is listed in the root
//! `exclude`, and a root test drives it with [`SeparateWorkspace`].
//!
//! All separate workspaces build into the root workspace's target directory
//! ([`crate::repo::target_dir`]), so a dependency build with the same version, features and
//! profile is compiled once for all of them.
//!
//! The child cargo's output is captured and printed in full when it fails. Set `BOOK_STREAM=1` to
//! watch it live instead.
//!
//! [`SeparateWorkspace::test`] and [`SeparateWorkspace::test_with`] skip the child cargo when
//! nothing it could read has changed since it last passed: see [`crate::stamp`] for what is
//! compared and why that cannot hide a change. [`SeparateWorkspace::cargo`] always runs.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub use crate::cargo_run::CargoRun;
use crate::process::run_merged;
use crate::repo;

/// A Cargo workspace inside the repository that is not a member of the root workspace.
///
/// ```
/// use book_harness::separate_workspace::SeparateWorkspace;
///
/// let workspace = SeparateWorkspace::at("crates/book-harness/tests/fixtures/passing-workspace");
/// assert!(workspace.dir().join("Cargo.lock").is_file(), "a separate workspace commits its lock");
/// ```
#[derive(Debug, Clone)]
pub struct SeparateWorkspace {
    dir: PathBuf,
    env: Vec<(OsString, OsString)>,
    own_target_dir: Option<PathBuf>,
}

impl SeparateWorkspace {
    /// The workspace whose `Cargo.toml` is in `dir` (relative to the repository root, or absolute).
    /// Panics when there is no `Cargo.toml` or no `Cargo.lock` there: every separate workspace
    /// commits its lock file, because every build here uses `--locked`.
    ///
    /// ```
    /// use book_harness::separate_workspace::SeparateWorkspace;
    ///
    /// // The repository root has a Cargo.lock; `src/` has no Cargo.toml.
    /// assert!(SeparateWorkspace::at(".").dir().join("Cargo.toml").is_file());
    /// assert!(std::panic::catch_unwind(|| SeparateWorkspace::at("src")).is_err());
    /// ```
    pub fn at(dir: impl AsRef<Path>) -> Self {
        let dir = repo::root().join(dir);
        for file in ["Cargo.toml", "Cargo.lock"] {
            assert!(
                dir.join(file).is_file(),
                "{} has no {file}; a separate workspace needs its own manifest and a committed lock file \
                 (create it with `cargo generate-lockfile --manifest-path {}`)",
                dir.display(),
                dir.join("Cargo.toml").display()
            );
        }
        SeparateWorkspace {
            dir,
            env: Vec::new(),
            own_target_dir: None,
        }
    }

    /// A workspace that a test writes at run time (under the target directory, say), with its lock
    /// file taken from the committed one of the separate workspace `lock_from` (relative to the
    /// repository root, or absolute). The lock is copied in, then cargo adds the new workspace's
    /// own packages to it (`cargo metadata --offline`, the one command here without `--locked`),
    /// keeping every version the copied lock pins. Later commands run with `--locked` as usual.
    /// Panics with cargo's message when that fails.
    ///
    /// No example: it runs `cargo metadata` on a workspace written at run time, which needs that
    /// workspace's sources; tests/allocator_book/ch16_system_jemalloc.rs and others use it.
    pub fn generated(dir: impl AsRef<Path>, lock_from: impl AsRef<Path>) -> Self {
        let dir = repo::root().join(dir);
        let lock = repo::root().join(lock_from).join("Cargo.lock");
        std::fs::copy(&lock, dir.join("Cargo.lock")).unwrap_or_else(|err| {
            panic!(
                "cannot copy {} into {}: {err}",
                lock.display(),
                dir.display()
            )
        });
        let output = Command::new(repo::cargo())
            .args([
                "metadata",
                "--offline",
                "--format-version",
                "1",
                "--manifest-path",
            ])
            .arg(dir.join("Cargo.toml"))
            .output()
            .unwrap_or_else(|err| panic!("cannot run cargo metadata: {err}"));
        assert!(
            output.status.success(),
            "cargo could not complete the lock file copied from {} for {}; the generated workspace \
             must only need versions that lock pins:\n{}",
            lock.display(),
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        Self::at(dir)
    }

    /// A member of the root workspace, to build or test on its own with other features than the
    /// workspace build gives it (`cargo build --features jemalloc`). Cargo runs with
    /// `--manifest-path <dir>/Cargo.toml`, so it builds this package only, with the root lock file,
    /// and unifies features across this package's dependencies only.
    ///
    /// ```
    /// use book_harness::separate_workspace::SeparateWorkspace;
    ///
    /// let member = SeparateWorkspace::root_member("crates/ch03-probe");
    /// assert!(member.dir().ends_with("crates/ch03-probe"));
    /// // A root member has no lock file of its own, so `at` refuses it.
    /// assert!(std::panic::catch_unwind(|| SeparateWorkspace::at("crates/ch03-probe")).is_err());
    /// ```
    pub fn root_member(dir: impl AsRef<Path>) -> Self {
        let dir = repo::root().join(dir);
        assert!(
            dir.join("Cargo.toml").is_file(),
            "{} has no Cargo.toml",
            dir.display()
        );
        SeparateWorkspace {
            dir,
            env: Vec::new(),
            own_target_dir: None,
        }
    }

    /// The workspace's directory.
    ///
    /// ```
    /// use book_harness::separate_workspace::SeparateWorkspace;
    ///
    /// let workspace = SeparateWorkspace::at("listings/ch10-rust-dylib");
    /// assert_eq!(workspace.dir(), book_harness::repo::root().join("listings/ch10-rust-dylib"));
    /// ```
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Sets an environment variable for every cargo command of this workspace: a cross linker
    /// (`CARGO_TARGET_<TRIPLE>_LINKER`), a C compiler (`CC_<triple>`), or a variable a build script
    /// reads (`JEMALLOC_SYS_WITH_LG_PAGE`, `JEMALLOC_OVERRIDE`). The command line shown in messages
    /// starts with it.
    ///
    /// ```
    /// use book_harness::separate_workspace::SeparateWorkspace;
    ///
    /// let fixture = "crates/book-harness/tests/fixtures/passing-workspace";
    /// let run = SeparateWorkspace::at(fixture).env("HARNESS_DOC", "1").cargo(&["check", "-q"]);
    /// assert!(run.command.starts_with("HARNESS_DOC=1 cargo check --locked"), "{}", run.command);
    /// ```
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Builds into `dir` (relative to the repository root, or absolute) instead of the shared
    /// target directory. For a build whose dependencies are configured through the environment
    /// (a jemalloc built with other `configure` options, or not built at all): in the shared
    /// directory, Cargo would rebuild the root's jemalloc when the variable changes, and again
    /// when it changes back.
    ///
    /// ```
    /// use book_harness::separate_workspace::SeparateWorkspace;
    ///
    /// let workspace = SeparateWorkspace::at("listings/ch10-rust-dylib").in_target_dir("target/other");
    /// assert_eq!(workspace.target_dir(), book_harness::repo::root().join("target/other"));
    /// ```
    pub fn in_target_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.own_target_dir = Some(repo::root().join(dir));
        self
    }

    /// The target directory: the one shared by every separate workspace and the root workspace,
    /// unless [`SeparateWorkspace::in_target_dir`] set another.
    ///
    /// ```
    /// use book_harness::separate_workspace::SeparateWorkspace;
    ///
    /// let workspace = SeparateWorkspace::at("listings/ch10-rust-dylib");
    /// assert_eq!(workspace.target_dir(), book_harness::repo::target_dir(), "shared by default");
    /// ```
    pub fn target_dir(&self) -> PathBuf {
        self.own_target_dir.clone().unwrap_or_else(repo::target_dir)
    }

    /// Runs `cargo <args> --locked --manifest-path <dir>/Cargo.toml --target-dir <shared>`,
    /// where `args` starts with the subcommand (`["build", "--release"]`).
    ///
    /// ```
    /// use book_harness::separate_workspace::SeparateWorkspace;
    ///
    /// let fixture = "crates/book-harness/tests/fixtures/passing-workspace";
    /// let run = SeparateWorkspace::at(fixture).cargo(&["check", "-q"]);
    /// assert!(run.status.success(), "{run}");
    /// ```
    pub fn cargo(&self, args: &[&str]) -> CargoRun {
        let (subcommand, rest) = args
            .split_first()
            .expect("cargo needs a subcommand, e.g. [\"test\"]");
        let mut command = Command::new(repo::cargo());
        command
            .arg(subcommand)
            .arg("--locked")
            .arg("--manifest-path")
            .arg(self.dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(self.target_dir());
        let mut trailing = Vec::new();
        for (i, arg) in rest.iter().enumerate() {
            if *arg == "--" {
                trailing.extend_from_slice(&rest[i..]);
                break;
            }
            command.arg(arg);
        }
        command.args(&trailing);
        // The child must not inherit a target directory meant for the root workspace.
        command
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET_DIR");
        let mut shown = String::new();
        for (key, value) in &self.env {
            command.env(key, value);
            shown.push_str(&format!(
                "{}={} ",
                key.to_string_lossy(),
                value.to_string_lossy()
            ));
        }
        shown.push_str(&format!(
            "cargo {subcommand} --locked --manifest-path {}/Cargo.toml {}",
            self.dir.display(),
            rest.join(" ")
        ));
        run(command, shown.trim_end().to_owned())
    }

    /// `cargo test` in the workspace; panics with cargo's whole output when a test fails.
    /// Skipped when the workspace's inputs are those of its last passing run
    /// ([`crate::stamp`]); the returned run then says which stamp it reused.
    ///
    /// No example: it compiles and runs a workspace's tests, seconds at the least;
    /// crates/book-harness/tests/book_harness/separate_workspace.rs runs it on a passing and a failing fixture.
    pub fn test(&self) -> CargoRun {
        self.test_with(&["test"])
    }

    /// `cargo <args>` in the workspace, for a command whose only result is that it passes
    /// (`["test", "--", "--ignored"]`); panics with cargo's whole output when it fails. Skipped
    /// when the workspace's inputs are those of its last passing run ([`crate::stamp`]).
    ///
    /// No example: it runs a workspace's tests, seconds at the least, like [`Self::test`].
    pub fn test_with(&self, args: &[&str]) -> CargoRun {
        let mut shown = String::new();
        for (key, value) in &self.env {
            shown.push_str(&format!(
                "{}={} ",
                key.to_string_lossy(),
                value.to_string_lossy()
            ));
        }
        shown.push_str(&format!(
            "cargo {} --locked --manifest-path {}/Cargo.toml --target-dir {}",
            args.join(" "),
            self.dir.display(),
            self.target_dir().display()
        ));
        crate::stamp::Stamp::for_workspace(shown, &self.dir)
            .run(|| self.cargo(args))
            .assert_success()
    }
}

fn streaming() -> bool {
    std::env::var_os("BOOK_STREAM").is_some_and(|value| value != "0" && !value.is_empty())
}

fn run(mut command: Command, shown: String) -> CargoRun {
    let spawn_failed = |err: std::io::Error| -> ! {
        panic!("cannot run `{shown}`: {err} (is cargo installed and on PATH?)")
    };
    if streaming() {
        let status = command
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit())
            .status()
            .unwrap_or_else(|err| spawn_failed(err));
        return CargoRun {
            command: shown,
            status,
            output: String::new(),
        };
    }
    let (status, output) = run_merged(command).unwrap_or_else(|err| spawn_failed(err));
    CargoRun {
        command: shown,
        status,
        output,
    }
}

// Unix only: the test makes a failed status by running `false`.
#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn failed_run(output: &str) -> CargoRun {
        CargoRun {
            command: "cargo build".to_owned(),
            status: Command::new("false").status().expect("`false` runs"),
            output: output.to_owned(),
        }
    }

    #[test]
    fn a_failed_run_passes_assert_failure_and_is_compared_with_its_recording() {
        let run = failed_run("error: it does not compile\n").assert_failure();
        let path = std::env::temp_dir().join(format!("book-harness-{}.txt", std::process::id()));
        std::fs::write(&path, "$ cargo build -q\nerror: it does not compile\n")
            .expect("a writable temporary file");
        run.check_recording("cargo build -q", &path);
        let stale = std::panic::catch_unwind(|| {
            failed_run("error: another message\n").check_recording("cargo build -q", &path);
        });
        let _ = std::fs::remove_file(&path);
        assert!(
            stale.is_err(),
            "a different output must not match the recording"
        );
    }
}
