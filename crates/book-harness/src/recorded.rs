//! Recorded program output: what the book shows is what a test just produced.
//!
//! A recording is a text file whose first line is the command a reader types (`$ cargo run ...`)
//! and whose other lines are that command's output (stdout and stderr in the order written),
//! normalised by [`crate::normalise`]. [`Recording::check`] runs the program, normalises what it
//! printed and compares it with the file. Set `BLESS=1` to rewrite the file instead.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use crate::process::run_merged;
use crate::{for_recording, normalise};

/// A program run whose output the book shows.
///
/// ```
/// use book_harness::recorded::Recording;
///
/// let ran = Recording::new("echo", "echo hello").arg("hello").run();
/// assert!(ran.status.success());
/// assert_eq!(ran.output, "hello\n");
/// ```
#[derive(Debug)]
pub struct Recording {
    command: Command,
    shown: Vec<String>,
    shown_env: Vec<String>,
}

/// What a recorded run produced.
///
/// ```
/// let ran = book_harness::recorded::Recording::new("sh", "./fails")
///     .hidden_arg("-c")
///     .hidden_arg("exit 3")
///     .run();
/// assert_eq!(ran.status.code(), Some(3), "the exit status is kept for the test");
/// ```
#[derive(Debug)]
pub struct Ran {
    /// How the program ended; assert on it where the exit matters (a crash, a compile error).
    pub status: ExitStatus,
    /// The normalised output, as written to the recording (without the command line).
    pub output: String,
}

impl Recording {
    /// Runs `program` and shows it in the book as `shown_command` (e.g. the `cargo run` line a
    /// reader would type to run the same binary).
    ///
    /// ```
    /// let recording = book_harness::recorded::Recording::new("/bin/true", "my-program");
    /// assert_eq!(recording.shown_command(), "$ my-program");
    /// ```
    pub fn new(program: impl AsRef<OsStr>, shown_command: &str) -> Self {
        Recording {
            command: Command::new(program),
            shown: vec![shown_command.to_owned()],
            shown_env: Vec::new(),
        }
    }

    /// Runs the binary target `bin` of `package`, whose path a test gets from
    /// `env!("CARGO_BIN_EXE_<bin>")`, shown as `cargo run -q -p <package> --bin <bin>`.
    ///
    /// ```
    /// use book_harness::recorded::Recording;
    ///
    /// let recording = Recording::cargo_run("ch03-probe", "probe-system", "/bin/true").arg("100");
    /// assert_eq!(
    ///     recording.shown_command(),
    ///     "$ cargo run -q -p ch03-probe --bin probe-system -- 100"
    /// );
    /// ```
    pub fn cargo_run(package: &str, bin: &str, exe: impl AsRef<OsStr>) -> Self {
        Self::new(exe, &format!("cargo run -q -p {package} --bin {bin}"))
    }

    /// Adds an argument, both to the run and to the command line the book shows.
    ///
    /// ```
    /// let recording = book_harness::recorded::Recording::new("echo", "echo").arg("a").arg("b");
    /// assert_eq!(recording.shown_command(), "$ echo a b");
    /// assert_eq!(recording.run().output, "a b\n");
    /// ```
    pub fn arg(mut self, arg: &str) -> Self {
        self.command.arg(arg);
        if self.shown.len() == 1 && self.shown[0].starts_with("cargo run") {
            self.shown.push("--".to_owned());
        }
        self.shown.push(arg.to_owned());
        self
    }

    /// Adds an argument to the run that the book does not show: one that only matters to the test,
    /// such as an output path in the target directory.
    ///
    /// ```
    /// let recording = book_harness::recorded::Recording::new("echo", "echo").hidden_arg("unseen");
    /// assert_eq!(recording.shown_command(), "$ echo");
    /// assert_eq!(recording.run().output, "unseen\n");
    /// ```
    pub fn hidden_arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.command.arg(arg);
        self
    }

    /// Sets an environment variable, shown as `KEY=value` before the command.
    ///
    /// ```
    /// let recording = book_harness::recorded::Recording::new("sh", "./show")
    ///     .hidden_arg("-c")
    ///     .hidden_arg("echo $SETTING")
    ///     .env("SETTING", "on");
    /// assert_eq!(recording.shown_command(), "$ SETTING=on ./show");
    /// assert_eq!(recording.run().output, "on\n");
    /// ```
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.command.env(key, value);
        self.shown_env.push(format!("{key}={value}"));
        self
    }

    /// Sets an environment variable for the run without showing it: one that only keeps the
    /// output stable (`RUST_BACKTRACE=0` for a program that aborts), or one whose value the shown
    /// command already says how to get (`LD_LIBRARY_PATH=$(rustc --print target-libdir)`).
    ///
    /// ```
    /// let recording = book_harness::recorded::Recording::new("sh", "./show")
    ///     .hidden_arg("-c")
    ///     .hidden_arg("echo $QUIET")
    ///     .hidden_env("QUIET", "yes");
    /// assert_eq!(recording.shown_command(), "$ ./show");
    /// assert_eq!(recording.run().output, "yes\n");
    /// ```
    pub fn hidden_env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    /// Removes an environment variable from the run (not shown), such as the `LD_LIBRARY_PATH`
    /// that `cargo test` gives the test, so that the program runs as it would from a shell.
    ///
    /// ```
    /// let ran = book_harness::recorded::Recording::new("sh", "./show")
    ///     .hidden_arg("-c")
    ///     .hidden_arg("echo \"[$HOME]\"")
    ///     .env_remove("HOME")
    ///     .run();
    /// assert_eq!(ran.output, "[]\n");
    /// ```
    pub fn env_remove(mut self, key: &str) -> Self {
        self.command.env_remove(key);
        self
    }

    /// Sets the working directory of the run (not shown).
    ///
    /// ```
    /// let ran = book_harness::recorded::Recording::new("pwd", "pwd").current_dir("/").run();
    /// assert_eq!(ran.output, "/\n");
    /// ```
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.command.current_dir(dir);
        self
    }

    /// The command line as the book shows it.
    ///
    /// ```
    /// let recording = book_harness::recorded::Recording::new("/bin/true", "./host")
    ///     .env("MALLOC_CONF", "narenas:1")
    ///     .arg("100");
    /// assert_eq!(recording.shown_command(), "$ MALLOC_CONF=narenas:1 ./host 100");
    /// ```
    pub fn shown_command(&self) -> String {
        let mut line = String::from("$ ");
        for part in self.shown_env.iter().chain(&self.shown) {
            if line.len() > 2 {
                line.push(' ');
            }
            line.push_str(part);
        }
        line
    }

    /// Runs the program and returns its normalised output, stdout and stderr interleaved in the
    /// order they were written.
    ///
    /// ```
    /// let ran = book_harness::recorded::Recording::new("sh", "./program")
    ///     .hidden_arg("-c")
    ///     .hidden_arg("echo 1; echo 2 >&2; echo 3")
    ///     .run();
    /// assert_eq!(ran.output, "1\n2\n3\n", "stdout and stderr in the order written");
    /// ```
    pub fn run(self) -> Ran {
        let program = self.command.get_program().to_owned();
        let (status, output) = run_merged(self.command).unwrap_or_else(|err| {
            panic!(
                "cannot run {program:?}: {err}; build it first (cargo build --workspace --locked)"
            )
        });
        Ran {
            status,
            output: normalise(&output),
        }
    }

    /// Runs the program and compares its output with the recording at `path` (relative to the
    /// repository root, or absolute). With `BLESS=1` the recording is rewritten instead.
    /// Panics with both texts when they differ.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("harness-{}-{}", "check", std::process::id()));
    /// std::fs::create_dir_all(&dir).expect("a writable temporary directory");
    /// let recording = dir.join("hello.txt");
    /// std::fs::write(&recording, "$ echo hello\nhello\n").expect("writable");
    /// let echo = || book_harness::recorded::Recording::new("echo", "echo").arg("hello");
    /// echo().check(&recording);
    /// // Without BLESS=1, output that differs from the recording fails.
    /// if std::env::var_os("BLESS").is_none() {
    ///     std::fs::write(&recording, "$ echo hello\ngoodbye\n").expect("writable");
    ///     assert!(std::panic::catch_unwind(|| echo().check(&recording)).is_err());
    /// }
    /// # std::fs::remove_dir_all(&dir).ok();
    /// ```
    pub fn check(self, path: impl AsRef<Path>) -> Ran {
        let path = resolve(path.as_ref());
        // The command line is normalised too: it may name absolute paths (an artifact to inspect).
        let header = normalise(&self.shown_command());
        let ran = self.run();
        let actual = for_recording(&format!("{header}{}", ran.output));
        compare_or_bless(&path, &actual);
        ran
    }
}

/// Compares a transcript that a test produced itself (its first line the command as the book shows
/// it, `$ ...`) with the recording at `path` (relative to the repository root, or absolute), after
/// normalising it like program output. With `BLESS=1` the recording is rewritten instead.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("harness-{}-{}", "transcript", std::process::id()));
/// std::fs::create_dir_all(&dir).expect("a writable temporary directory");
/// let recording = dir.join("symbols.txt");
/// std::fs::write(&recording, "$ probe-symbols\nlibfoo-<hash>.so\n").expect("writable");
/// // Normalised first: the hash becomes a placeholder, so the recording matches.
/// book_harness::recorded::check_transcript(&recording, "$ probe-symbols\nlibfoo-0123456789abcdef.so\n");
/// # std::fs::remove_dir_all(&dir).ok();
/// ```
pub fn check_transcript(path: impl AsRef<Path>, transcript: &str) {
    compare_or_bless(
        &resolve(path.as_ref()),
        &for_recording(&normalise(transcript)),
    );
}

pub(crate) fn resolve(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_owned()
    } else {
        crate::repo::root().join(path)
    }
}

fn blessing() -> bool {
    std::env::var_os("BLESS").is_some_and(|value| value != "0" && !value.is_empty())
}

/// Compares `actual` with the file at `path`, or writes it there when `BLESS=1`.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("harness-{}-{}", "compare", std::process::id()));
/// std::fs::create_dir_all(&dir).expect("a writable temporary directory");
/// use book_harness::recorded::compare_or_bless;
///
/// let recording = dir.join("output.txt");
/// std::fs::write(&recording, "expected\n").expect("writable");
/// compare_or_bless(&recording, "expected\n");
/// if std::env::var_os("BLESS").is_none() {
///     let differs = std::panic::catch_unwind(|| compare_or_bless(&recording, "other\n"));
///     assert!(differs.is_err(), "a difference fails unless BLESS=1");
/// }
/// # std::fs::remove_dir_all(&dir).ok();
/// ```
pub fn compare_or_bless(path: &Path, actual: &str) {
    if blessing() {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .unwrap_or_else(|err| panic!("cannot create {}: {err}", dir.display()));
        }
        fs::write(path, actual)
            .unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
        return;
    }
    let expected = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => panic!(
            "cannot read the recording {}: {err}\nrun the test with BLESS=1 to create it",
            path.display()
        ),
    };
    if expected != actual {
        panic!(
            "the output differs from the recording {}\n{}\nIf the new output is right, rerun with BLESS=1 and review the diff.",
            path.display(),
            line_diff(&expected, actual)
        );
    }
}

/// A plain line diff: the lines only in the recording (`-`) and only in the new output (`+`),
/// in order, around their longest common subsequence.
fn line_diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    // lcs[i][j]: length of the longest common subsequence of old[i..] and new[j..].
    let mut lcs = vec![vec![0usize; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            let _ = writeln!(out, "  {}", old[i]);
            i += 1;
            j += 1;
        } else if i < old.len() && (j == new.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "- {}", old[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "+ {}", new[j]);
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_command_puts_env_first_and_separates_program_arguments() {
        let recording = Recording::cargo_run("ch03-probe", "probe-system", "/bin/true")
            .env("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0")
            .arg("100");
        assert_eq!(
            recording.shown_command(),
            "$ GLIBC_TUNABLES=glibc.malloc.tcache_count=0 cargo run -q -p ch03-probe --bin probe-system -- 100"
        );
    }

    // Unix only: the recorded program is `sh`.
    #[cfg(unix)]
    #[test]
    fn run_interleaves_stdout_and_stderr_in_order() {
        let ran = Recording::new("sh", "demo")
            .arg("-c")
            .arg("echo one; echo two >&2; echo three; exit 3")
            .run();
        assert_eq!(ran.output, "one\ntwo\nthree\n");
        assert_eq!(ran.status.code(), Some(3));
    }

    // Unix only: the recorded program is `sh`.
    #[cfg(unix)]
    #[test]
    fn hidden_and_removed_variables_reach_the_run_but_not_the_shown_command() {
        let recording = Recording::new("sh", "shown")
            .arg("-c")
            .arg("echo \"$BOOK_HARNESS_HIDDEN/${HOME:-removed}\"")
            .hidden_env("BOOK_HARNESS_HIDDEN", "hidden")
            .env_remove("HOME");
        assert!(
            !recording
                .shown_command()
                .contains("BOOK_HARNESS_HIDDEN=hidden"),
            "expected the hidden variable to stay out of the shown command, saw {:?}",
            recording.shown_command()
        );
        assert_eq!(recording.run().output, "hidden/removed\n");
    }

    #[test]
    fn hidden_arguments_and_variables_are_passed_but_not_shown() {
        let recording = Recording::new("echo", "echo")
            .hidden_arg("hidden")
            .arg("shown");
        assert_eq!(recording.shown_command(), "$ echo shown");
        let recording = recording.hidden_env("RUST_BACKTRACE", "0");
        assert_eq!(recording.shown_command(), "$ echo shown");
        assert!(
            recording
                .command
                .get_envs()
                .any(|(key, value)| key == "RUST_BACKTRACE" && value == Some("0".as_ref())),
            "expected RUST_BACKTRACE=0 to be passed to the command, saw {:?}",
            recording.command.get_envs().collect::<Vec<_>>()
        );
        assert_eq!(
            recording.command.get_args().collect::<Vec<_>>(),
            ["hidden", "shown"]
        );
    }

    #[test]
    fn a_transcript_is_normalised_before_it_is_compared() {
        let dir = crate::repo::target_dir().join("tmp");
        fs::create_dir_all(&dir).expect("the target directory is writable");
        let path = dir.join(format!("transcript-{}.txt", std::process::id()));
        fs::write(&path, "$ show\nsrc/main.rs\n").expect("a recording");
        let transcript = format!("$ show\n{}/src/main.rs  \n", crate::repo::root().display());
        check_transcript(&path, &transcript);
        let _ = fs::remove_file(&path);
    }

    #[test]
    fn diff_marks_changed_lines() {
        let diff = line_diff("a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(diff, "  a\n- b\n+ B\n  c\n");
    }
}
