//! One finished cargo invocation, as the separate workspaces, the templates and the stamps
//! return it.

use std::fmt;
use std::path::Path;
use std::process::ExitStatus;

/// One finished cargo invocation in a separate workspace.
///
/// ```
/// use std::os::unix::process::ExitStatusExt;
/// use book_harness::separate_workspace::CargoRun;
///
/// let run = CargoRun {
///     command: "cargo build".into(),
///     status: std::process::ExitStatus::from_raw(0),
///     output: "   Compiling foo v0.1.0\n".into(),
/// };
/// assert!(run.to_string().starts_with("`cargo build` ended with exit status: 0"), "{run}");
/// ```
#[derive(Debug)]
pub struct CargoRun {
    /// The command line, for messages.
    pub command: String,
    /// How cargo ended.
    pub status: ExitStatus,
    /// stdout and stderr, interleaved (empty when streamed with `BOOK_STREAM=1`).
    pub output: String,
}

impl CargoRun {
    /// Returns `self` when cargo succeeded; otherwise panics with the command and its output.
    ///
    /// ```
    /// use std::os::unix::process::ExitStatusExt;
    /// use book_harness::separate_workspace::CargoRun;
    ///
    /// let run = |code| CargoRun {
    ///     command: "cargo build".into(),
    ///     status: std::process::ExitStatus::from_raw(code << 8),
    ///     output: String::new(),
    /// };
    /// let _ = run(0).assert_success();
    /// assert!(std::panic::catch_unwind(|| run(101).assert_success()).is_err());
    /// ```
    pub fn assert_success(self) -> Self {
        assert!(self.status.success(), "{self}");
        self
    }

    /// Whether cargo compiled `package` in this run (it printed `Compiling <package> v...`), for a
    /// test that expects a dependency build to be reused from the shared target directory. Always
    /// false when the output was streamed (`BOOK_STREAM=1`).
    ///
    /// ```
    /// use std::os::unix::process::ExitStatusExt;
    ///
    /// let run = book_harness::separate_workspace::CargoRun {
    ///     command: "cargo build".into(),
    ///     status: std::process::ExitStatus::from_raw(0),
    ///     output: "   Compiling tikv-jemalloc-sys v0.7.1\n    Finished `dev` profile\n".into(),
    /// };
    /// assert!(run.compiled("tikv-jemalloc-sys"));
    /// assert!(!run.compiled("tikv-jemallocator"), "a reused build is not compiled");
    /// ```
    pub fn compiled(&self, package: &str) -> bool {
        let line = format!("Compiling {package} v");
        self.output
            .lines()
            .any(|l| l.trim_start().starts_with(&line))
    }

    /// Returns `self` when cargo failed, as a fixture that must not compile should; otherwise
    /// panics with the command and its output.
    ///
    /// ```
    /// use std::os::unix::process::ExitStatusExt;
    /// use book_harness::separate_workspace::CargoRun;
    ///
    /// let run = |code| CargoRun {
    ///     command: "cargo build".into(),
    ///     status: std::process::ExitStatus::from_raw(code << 8),
    ///     output: "error[E0277]\n".into(),
    /// };
    /// let _ = run(101).assert_failure();
    /// assert!(std::panic::catch_unwind(|| run(0).assert_failure()).is_err());
    /// ```
    pub fn assert_failure(self) -> Self {
        assert!(
            !self.status.success(),
            "this build was expected to fail, but it succeeded: {self}"
        );
        self
    }

    /// Compares cargo's normalised output with the recording at `path` (relative to the
    /// repository root, or absolute), shown under `shown_command` (what a reader types in the
    /// workspace's directory, e.g. `cargo build -q --bin app`); `BLESS=1` rewrites it. For compiler
    /// errors that the book shows.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("harness-{}-{}", "cargo-recording", std::process::id()));
    /// std::fs::create_dir_all(&dir).expect("a writable temporary directory");
    /// use std::os::unix::process::ExitStatusExt;
    ///
    /// let run = book_harness::separate_workspace::CargoRun {
    ///     command: "cargo build".into(),
    ///     status: std::process::ExitStatus::from_raw(101 << 8),
    ///     output: "error: two global allocators\n".into(),
    /// };
    /// let recording = dir.join("error.txt");
    /// std::fs::write(&recording, "$ cargo build -q\nerror: two global allocators\n").expect("writable");
    /// run.check_recording("cargo build -q", &recording);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// ```
    pub fn check_recording(&self, shown_command: &str, path: impl AsRef<Path>) -> &Self {
        crate::recorded::check_transcript(path, &format!("$ {shown_command}\n{}", self.output));
        self
    }
}

impl fmt::Display for CargoRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "`{}` ended with {}", self.command, self.status)?;
        if self.output.is_empty() {
            write!(f, "(output was streamed above)")
        } else {
            write!(f, "----- cargo output -----\n{}", self.output)
        }
    }
}
