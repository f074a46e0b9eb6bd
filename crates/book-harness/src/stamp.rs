//! Skipping a nested cargo run whose inputs are exactly those of its last passing run.
//!
//! The root workspace's tests run `cargo test` in the separate workspaces and in copies of the
//! templates. With nothing changed, those nested runs are most of a warm `cargo test`: each one
//! starts cargo, checks every fingerprint, and runs the workspace's tests again. A [`Stamp`] lets
//! such a run be skipped when nothing it could read has changed since it last passed.
//!
//! # What the stamp holds
//!
//! After a passing run, the stamp (a file under `<target>/book-stamps/`) records a digest of each
//! input of the run:
//!
//! - every file of the repository, by its path and its contents (the separate workspace's own
//!   files, its `Cargo.lock`, the harness and probe it depends on by path, the chapters, the
//!   recordings: all of them, not just the ones the run is known to read); only the directories
//!   `.gitignore` ignores (`/target`, `/book`, `mutants.out*`), `.git`, and any directory Cargo
//!   marks as its build output (`CACHEDIR.TAG`) are left out;
//! - the files of the workspace's own directory when it lies outside the repository (a template
//!   copied out, a workspace generated under `target/`);
//! - the command line, with the variables it sets;
//! - every environment variable of the test process, except the shell's bookkeeping (`PWD`,
//!   `OLDPWD`, `SHLVL`, `_`, `TERM`, `COLUMNS`, `LINES`); only digests of values are written;
//! - `rustc -vV` and `cargo -vV` (the toolchain), `cc --version` (the C compiler the `cc` crate
//!   and the C hosts use) and `ldd --version` (glibc).
//!
//! # Why it cannot hide a change
//!
//! A run is skipped only when every one of those digests is the same as at the end of the last
//! run that passed. Any edit in the repository, a changed lock file, another toolchain or C
//! compiler, a changed variable: each gives another digest, and the run happens for real. The
//! stamp is written only after a run that passed, and only when the inputs read again after the
//! run equal those read before it (a file edited while the run went on leaves no stamp). A failed
//! run deletes the stamp. `BLESS=1` (which rewrites recordings) never reads or writes a stamp, and
//! `BOOK_NO_STAMPS=1` turns stamps off. What the stamp does not see are programs and libraries of
//! the system other than the compilers and glibc (valgrind, Python): after upgrading one, set
//! `BOOK_NO_STAMPS=1` once or delete `target/book-stamps`. Registry crates need no entry: the
//! lock file pins each by checksum.
//!
//! A skipped run prints which stamp it reused and why, and returns a [`CargoRun`] whose output
//! says so.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::sync::{LazyLock, Mutex};

use crate::cargo_run::CargoRun;
use crate::repo;

/// Where the stamps live: `<target>/book-stamps/`.
///
/// ```
/// let dir = book_harness::stamp::default_dir();
/// assert!(dir.starts_with(book_harness::repo::target_dir()) && dir.ends_with("book-stamps"));
/// ```
pub fn default_dir() -> PathBuf {
    repo::target_dir().join("book-stamps")
}

/// Whether stamps are in use: not with `BLESS` (a run that rewrites recordings must happen) and
/// not with `BOOK_NO_STAMPS` set to anything but `0` or the empty string.
///
/// ```
/// let set = |name: &str| std::env::var_os(name).is_some_and(|v| v != "0" && !v.is_empty());
/// let expected = !set("BLESS") && !set("BOOK_NO_STAMPS");
/// assert_eq!(book_harness::stamp::enabled(), expected);
/// ```
pub fn enabled() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| v != "0" && !v.is_empty());
    !set("BLESS") && !set("BOOK_NO_STAMPS")
}

/// Environment variables that only the shell keeps, left out of the inputs.
const SHELL_BOOKKEEPING: [&str; 7] = ["PWD", "OLDPWD", "SHLVL", "_", "TERM", "COLUMNS", "LINES"];

/// The stamp of one nested run: its command line and the directories whose files it may read.
///
/// A second run with the same inputs is skipped; a changed file runs it again:
///
/// ```
/// use std::os::unix::process::ExitStatusExt;
/// use book_harness::{cargo_run::CargoRun, stamp::Stamp};
///
/// let dir = std::env::temp_dir().join(format!("stamp-doc-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("tree")).expect("a writable temporary directory");
/// std::fs::write(dir.join("tree/input.txt"), "one").expect("writable");
/// let stamp = Stamp::custom("cargo test", vec![dir.join("tree")], dir.join("stamps"));
/// let mut runs = 0;
/// let mut run = || {
///     stamp.run(|| {
///         runs += 1;
///         CargoRun { command: "cargo test".into(), status: ExitStatusExt::from_raw(0), output: String::new() }
///     })
/// };
/// run();
/// run();
/// std::fs::write(dir.join("tree/input.txt"), "two").expect("writable");
/// run();
/// drop(run);
/// // With stamps off (BLESS=1 or BOOK_NO_STAMPS=1) every call runs.
/// let expected = if book_harness::stamp::enabled() { 2 } else { 3 };
/// assert_eq!(runs, expected, "the second call reuses the stamp; the third sees the change");
/// # std::fs::remove_dir_all(&dir).ok();
/// ```
#[derive(Debug, Clone)]
pub struct Stamp {
    command: String,
    trees: Vec<PathBuf>,
    tool_dir: PathBuf,
    stamp_dir: PathBuf,
}

/// Each input of a run, by name (`file <path>`, `env <name>`, `tool <command>`, `command`),
/// with a digest of its contents.
///
/// ```
/// use book_harness::stamp::Inputs;
///
/// let inputs = |pairs: &[(&str, &str)]| {
///     Inputs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
/// };
/// let stored = inputs(&[("file a", "1"), ("file b", "2")]);
/// let now = inputs(&[("file a", "9"), ("file c", "3")]);
/// assert_eq!(stored.changes(&now), ["changed: file a", "new: file c", "gone: file b"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Inputs(pub BTreeMap<String, String>);

impl Stamp {
    /// The stamp of `command` (the whole command line as shown in messages, with the variables
    /// it sets) run in `workspace`: its inputs are the repository's files, plus the workspace's
    /// own files when it lies outside the repository or under the target directory.
    ///
    /// ```
    /// use book_harness::stamp::{Stamp, default_dir};
    ///
    /// let stamp = Stamp::for_workspace("cargo test", book_harness::repo::root());
    /// assert!(stamp.path().starts_with(default_dir()), "{}", stamp.path().display());
    /// ```
    pub fn for_workspace(command: impl Into<String>, workspace: &Path) -> Self {
        let root = repo::root().to_path_buf();
        let mut trees = vec![root.clone()];
        let inside_repo = workspace.starts_with(&root);
        let inside_target = workspace.starts_with(repo::target_dir());
        if !inside_repo || inside_target {
            trees.push(workspace.to_path_buf());
        }
        Stamp {
            command: command.into(),
            trees,
            tool_dir: workspace.to_path_buf(),
            stamp_dir: default_dir(),
        }
    }

    /// A stamp over other directories and kept in `stamp_dir`: for the harness's own tests.
    ///
    /// No example: [`Stamp`]'s example makes one.
    pub fn custom(command: impl Into<String>, trees: Vec<PathBuf>, stamp_dir: PathBuf) -> Self {
        let tool_dir = trees
            .first()
            .cloned()
            .unwrap_or_else(|| repo::root().into());
        Stamp {
            command: command.into(),
            trees,
            tool_dir,
            stamp_dir,
        }
    }

    /// The stamp's file: named after a digest of the command line, the directories and the
    /// environment, so that a run from `cargo test -p <package>` (whose test processes get
    /// another `LD_LIBRARY_PATH` and `OUT_DIR`) and one from `cargo test --workspace` keep a
    /// stamp each instead of replacing each other's.
    ///
    /// ```
    /// use book_harness::stamp::Stamp;
    ///
    /// let stamp = |command| Stamp::custom(command, vec![], "stamps".into());
    /// assert_ne!(stamp("cargo test").path(), stamp("cargo build").path());
    /// assert!(stamp("cargo test").path().extension().is_some_and(|e| e == "stamp"));
    /// ```
    pub fn path(&self) -> PathBuf {
        let mut id = self.command.clone();
        for tree in &self.trees {
            id.push('\n');
            id.push_str(&tree.to_string_lossy());
        }
        let mut environment: Vec<(String, String)> = std::env::vars_os()
            .map(|(k, v)| {
                (
                    k.to_string_lossy().into_owned(),
                    v.to_string_lossy().into_owned(),
                )
            })
            .filter(|(k, _)| !SHELL_BOOKKEEPING.contains(&k.as_str()))
            .collect();
        environment.sort();
        for (key, value) in environment {
            id.push_str(&format!("\n{key}={value}"));
        }
        self.stamp_dir
            .join(format!("{}.stamp", digest(id.as_bytes())))
    }

    /// Everything the run may read, as it is now.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("stamp-inputs-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).expect("a writable temporary directory");
    /// std::fs::write(dir.join("a.txt"), "a").expect("writable");
    /// let stamp = book_harness::stamp::Stamp::custom("cargo test", vec![dir.clone()], dir.join("s"));
    /// let inputs = stamp.inputs();
    /// assert!(inputs.0.keys().any(|name| name.ends_with("a.txt")), "{inputs:?}");
    /// assert!(inputs.0.contains_key("command") && inputs.0.contains_key("tool rustc -vV"));
    /// # std::fs::remove_dir_all(&dir).ok();
    /// ```
    pub fn inputs(&self) -> Inputs {
        let mut inputs = BTreeMap::new();
        inputs.insert("command".to_owned(), digest(self.command.as_bytes()));
        for (i, tree) in self.trees.iter().enumerate() {
            add_tree(&mut inputs, &format!("file {i}:"), tree, tree);
        }
        for (name, value) in std::env::vars_os() {
            let name = name.to_string_lossy().into_owned();
            if !SHELL_BOOKKEEPING.contains(&name.as_str()) {
                inputs.insert(
                    format!("env {name}"),
                    digest(value.to_string_lossy().as_bytes()),
                );
            }
        }
        for (tool, args) in [
            ("rustc", "-vV"),
            ("cargo", "-vV"),
            ("cc", "--version"),
            ("ldd", "--version"),
        ] {
            inputs.insert(
                format!("tool {tool} {args}"),
                tool_digest(tool, args, &self.tool_dir),
            );
        }
        Inputs(inputs)
    }

    /// Runs `run` unless the stamp matches the inputs as they are now. A passing run whose inputs
    /// did not change while it ran writes the stamp; a failed one deletes it. A skipped run
    /// returns a successful [`CargoRun`] whose output says which stamp it reused and why.
    ///
    /// No example: [`Stamp`]'s example runs one twice, then after a change.
    pub fn run(&self, run: impl FnOnce() -> CargoRun) -> CargoRun {
        if !enabled() {
            return run();
        }
        let path = self.path();
        let before = self.inputs();
        let stored = fs::read_to_string(&path)
            .ok()
            .map(|text| Inputs::parse(&text));
        if stored.as_ref() == Some(&before) {
            let output = format!(
                "reused the stamp {}: the {} inputs of this command (every file of the \
                 repository, the lock files among them, the environment, rustc, cargo, cc and \
                 glibc) are those of its last passing run, so it was not run again \
                 (BOOK_NO_STAMPS=1 runs it)\n",
                path.display(),
                before.0.len()
            );
            println!("`{}`: {output}", self.command);
            return CargoRun {
                command: self.command.clone(),
                status: ExitStatus::default(),
                output,
            };
        }
        match &stored {
            None => println!(
                "`{}`: no stamp for this command and environment yet, running it",
                self.command
            ),
            Some(stored) => println!(
                "`{}`: inputs changed since its last passing run ({}), running it",
                self.command,
                stored.changes(&before).join(", ")
            ),
        }
        let result = run();
        if !result.status.success() {
            let _ = fs::remove_file(&path);
        } else if self.inputs() == before {
            self.write(&before);
        } else {
            let _ = fs::remove_file(&path);
            println!(
                "`{}`: its inputs changed while it ran; no stamp written",
                self.command
            );
        }
        result
    }

    fn write(&self, inputs: &Inputs) {
        let path = self.path();
        let written = fs::create_dir_all(&self.stamp_dir).and_then(|()| {
            let partial = crate::process::unique_sibling(&path);
            fs::write(&partial, inputs.render(&self.command))?;
            fs::rename(&partial, &path)
        });
        if let Err(err) = written {
            // Without a stamp the next run is a real one: nothing is hidden, only time lost.
            println!("cannot write the stamp {}: {err}", path.display());
        }
    }
}

impl Inputs {
    fn render(&self, command: &str) -> String {
        let mut text = format!("# {}\n", command.replace('\n', " "));
        for (name, value) in &self.0 {
            text.push_str(&format!("{value}\t{name}\n"));
        }
        text
    }

    fn parse(text: &str) -> Inputs {
        Inputs(
            text.lines()
                .filter(|line| !line.starts_with('#'))
                .filter_map(|line| line.split_once('\t'))
                .map(|(value, name)| (name.to_owned(), value.to_owned()))
                .collect(),
        )
    }

    /// The inputs that differ between `self` (the stamp) and `now`, at most five of them named.
    ///
    /// No example: [`Inputs`]'s example lists the changes of two sets.
    pub fn changes(&self, now: &Inputs) -> Vec<String> {
        let mut changes: Vec<String> = Vec::new();
        for (name, value) in &now.0 {
            match self.0.get(name) {
                None => changes.push(format!("new: {name}")),
                Some(old) if old != value => changes.push(format!("changed: {name}")),
                Some(_) => {}
            }
        }
        for name in self.0.keys().filter(|name| !now.0.contains_key(*name)) {
            changes.push(format!("gone: {name}"));
        }
        let count = changes.len();
        if count > 5 {
            changes.truncate(5);
            changes.push(format!("{} more", count - 5));
        }
        changes
    }
}

/// The key of a single-file program compiled by [`crate::rustc::compile`]: a digest of its
/// source, the arguments, `rustc -vV` and `cc --version` (the linker rustc calls), run in the
/// repository root.
///
/// ```
/// use book_harness::stamp::compile_key;
///
/// let key = compile_key(b"fn main() {}", &["-O"]);
/// assert_eq!(key, compile_key(b"fn main() {}", &["-O"]), "the same inputs give the same key");
/// assert_ne!(key, compile_key(b"fn main() { }", &["-O"]), "another source, another key");
/// assert_ne!(key, compile_key(b"fn main() {}", &[]), "other arguments, another key");
/// ```
pub fn compile_key(source: &[u8], args: &[&str]) -> String {
    let root = repo::root();
    let mut key = digest(source);
    key.push(' ');
    key.push_str(&digest(args.join("\0").as_bytes()));
    key.push(' ');
    key.push_str(&tool_digest("rustc", "-vV", root));
    key.push(' ');
    key.push_str(&tool_digest("cc", "--version", root));
    key.push('\n');
    key
}

/// A 128-bit digest, as hex. `DefaultHasher`'s algorithm may change between Rust releases; the
/// stamp also holds `rustc -vV`, so a stamp from another toolchain never matches anyway.
fn digest(bytes: &[u8]) -> String {
    let mut first = DefaultHasher::new();
    first.write(bytes);
    let mut second = DefaultHasher::new();
    second.write_u8(0x5a);
    second.write(bytes);
    format!("{:016x}{:016x}", first.finish(), second.finish())
}

fn add_tree(inputs: &mut BTreeMap<String, String>, label: &str, base: &Path, dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        inputs.insert(format!("{label}{}", dir.display()), "unreadable".to_owned());
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        let relative = path.strip_prefix(base).unwrap_or(&path).to_owned();
        let name = format!("{label}{}", relative.display());
        let Ok(kind) = entry.file_type() else {
            inputs.insert(name, "unreadable".to_owned());
            continue;
        };
        if kind.is_symlink() {
            let target = fs::read_link(&path).unwrap_or_default();
            inputs.insert(name, digest(target.to_string_lossy().as_bytes()));
        } else if kind.is_dir() {
            if !left_out(base, &path) {
                add_tree(inputs, label, base, &path);
            }
        } else {
            let contents = fs::read(&path).unwrap_or_else(|err| err.to_string().into_bytes());
            inputs.insert(name, digest(&contents));
        }
    }
}

/// The directories that are not inputs: `.git`, what `.gitignore` ignores at the top
/// (`target`, `book`, `mutants.out*`), and Cargo's build output anywhere (`CACHEDIR.TAG`).
fn left_out(base: &Path, dir: &Path) -> bool {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let at_top = dir.parent() == Some(base);
    name == ".git"
        || (at_top && (name == "target" || name == "book" || name.starts_with("mutants.out")))
        || dir.join("CACHEDIR.TAG").is_file()
}

/// The digest of `<tool> <args>`'s output (or of why it could not run), run in `dir` so that
/// rustup picks the toolchain that directory's builds use. Asked once per process and directory.
fn tool_digest(tool: &str, args: &str, dir: &Path) -> String {
    static SEEN: LazyLock<Mutex<HashMap<(String, PathBuf), String>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    let key = (format!("{tool} {args}"), dir.to_path_buf());
    if let Some(known) = SEEN.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return known.clone();
    }
    let program = match tool {
        "cargo" => repo::cargo(),
        "rustc" => crate::repo::rustc(),
        "cc" => std::env::var_os("CC").map_or_else(|| PathBuf::from("cc"), PathBuf::from),
        other => PathBuf::from(other),
    };
    let answer = match Command::new(&program).arg(args).current_dir(dir).output() {
        Ok(output) => {
            let mut all = output.stdout;
            all.extend_from_slice(&output.stderr);
            all.extend_from_slice(output.status.to_string().as_bytes());
            digest(&all)
        }
        Err(err) => digest(format!("cannot run {}: {err}", program.display()).as_bytes()),
    };
    SEEN.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, answer.clone());
    answer
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A scratch tree with a workspace's files, and a stamp over it kept inside the scratch.
    struct Scratch {
        dir: PathBuf,
        stamp: Stamp,
    }

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = repo::target_dir()
                .join("tmp")
                .join(format!("stamp-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(dir.join("tree/src")).expect("a writable target directory");
            fs::write(dir.join("tree/Cargo.toml"), "[package]\nname = \"x\"\n").expect("write");
            fs::write(dir.join("tree/Cargo.lock"), "version = 4\n").expect("write");
            fs::write(dir.join("tree/src/lib.rs"), "pub fn f() {}\n").expect("write");
            let stamp = Stamp::custom(
                "cargo test --locked",
                vec![dir.join("tree")],
                dir.join("stamps"),
            );
            Scratch { dir, stamp }
        }

        /// Runs the stamped command with a run that passes (or fails); returns whether it ran.
        fn run(&self, passes: bool) -> bool {
            let ran = Cell::new(false);
            let result = self.stamp.run(|| {
                ran.set(true);
                fake_run(passes)
            });
            assert_eq!(
                result.status.success(),
                passes,
                "expected the stamped run to {} like the run it wraps, got {}",
                if passes { "pass" } else { "fail" },
                result.status
            );
            ran.get()
        }

        fn write(&self, file: &str, text: &str) {
            fs::write(self.dir.join("tree").join(file), text).expect("write");
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }

    fn fake_run(passes: bool) -> CargoRun {
        CargoRun {
            command: "cargo test --locked".to_owned(),
            status: if passes {
                ExitStatus::default()
            } else {
                failed_status()
            },
            output: String::new(),
        }
    }

    #[cfg(unix)]
    fn failed_status() -> ExitStatus {
        use std::os::unix::process::ExitStatusExt;
        ExitStatus::from_raw(1 << 8)
    }

    #[cfg(windows)]
    fn failed_status() -> ExitStatus {
        use std::os::windows::process::ExitStatusExt;
        ExitStatus::from_raw(1)
    }

    // The tests below must see stamps in use even when the harness's tests run with BLESS=1.
    fn skip_when_disabled() -> bool {
        if enabled() {
            return false;
        }
        println!("stamps are off (BLESS or BOOK_NO_STAMPS): nothing to test");
        true
    }

    #[test]
    fn an_unchanged_workspace_reuses_the_stamp() {
        if skip_when_disabled() {
            return;
        }
        let scratch = Scratch::new("unchanged");
        assert!(
            scratch.run(true),
            "expected the first run to happen: no stamp yet"
        );
        assert!(
            !scratch.run(true),
            "expected the second run to reuse the stamp, but it ran"
        );
    }

    #[test]
    fn a_changed_file_forces_a_real_run() {
        if skip_when_disabled() {
            return;
        }
        let scratch = Scratch::new("file");
        assert!(scratch.run(true), "expected the first run to happen");
        scratch.write("src/lib.rs", "pub fn f() { let _ = 1; }\n");
        assert!(
            scratch.run(true),
            "expected a real run after src/lib.rs changed, but the stamp was reused"
        );
        assert!(
            !scratch.run(true),
            "expected the stamp to be reused once nothing changed again"
        );
        fs::write(scratch.dir.join("tree/src/new.rs"), "").expect("write");
        assert!(
            scratch.run(true),
            "expected a real run after a file was added, but the stamp was reused"
        );
    }

    #[test]
    fn a_changed_lock_forces_a_real_run() {
        if skip_when_disabled() {
            return;
        }
        let scratch = Scratch::new("lock");
        assert!(scratch.run(true), "expected the first run to happen");
        scratch.write("Cargo.lock", "version = 4\n# another pin\n");
        assert!(
            scratch.run(true),
            "expected a real run after Cargo.lock changed, but the stamp was reused"
        );
    }

    #[test]
    fn a_failed_run_forces_a_real_run_next_time() {
        if skip_when_disabled() {
            return;
        }
        let scratch = Scratch::new("failed");
        assert!(scratch.run(false), "expected the first run to happen");
        assert!(
            !scratch.stamp.path().exists(),
            "expected no stamp after a failed run, found {}",
            scratch.stamp.path().display()
        );
        assert!(
            scratch.run(false),
            "expected a failed run to be run again, but it was skipped"
        );
        assert!(scratch.run(true), "expected a real run after failed runs");
        // A stamp that exists is deleted by a failure (a run forced by a changed file).
        scratch.write("src/lib.rs", "broken\n");
        assert!(scratch.run(false), "expected a real run after the change");
        assert!(
            !scratch.stamp.path().exists(),
            "expected the failure to delete the stamp"
        );
        assert!(
            scratch.run(false),
            "expected the failing run to happen again, not a reuse of an older stamp"
        );
    }

    #[test]
    fn a_file_changed_during_the_run_leaves_no_stamp() {
        if skip_when_disabled() {
            return;
        }
        let scratch = Scratch::new("during");
        let result = scratch.stamp.run(|| {
            scratch.write("src/lib.rs", "pub fn g() {}\n");
            fake_run(true)
        });
        assert!(result.status.success(), "expected the run to pass");
        assert!(
            !scratch.stamp.path().exists(),
            "expected no stamp when a file changed while the command ran"
        );
        assert!(scratch.run(true), "expected a real run next time");
    }

    #[test]
    fn a_changed_command_has_a_stamp_of_its_own() {
        let scratch = Scratch::new("command");
        let other = Stamp::custom(
            "cargo test --locked --features x",
            scratch.stamp.trees.clone(),
            scratch.dir.join("stamps"),
        );
        assert_ne!(
            scratch.stamp.path(),
            other.path(),
            "expected two commands to keep two stamps"
        );
        let (first, second) = (scratch.stamp.inputs(), other.inputs());
        assert_eq!(
            first.changes(&second),
            ["changed: command"],
            "expected only the command to differ"
        );
    }

    #[test]
    fn build_output_and_git_are_not_inputs_but_every_other_file_is() {
        let scratch = Scratch::new("left-out");
        let tree = scratch.dir.join("tree");
        for dir in ["target/debug", ".git", "book", "nested/target"] {
            fs::create_dir_all(tree.join(dir)).expect("mkdir");
        }
        fs::write(tree.join("nested/target/CACHEDIR.TAG"), "Signature").expect("write");
        let before = scratch.stamp.inputs();
        for file in [
            "target/debug/x",
            ".git/HEAD",
            "book/index.html",
            "nested/target/y",
        ] {
            fs::write(tree.join(file), "output").expect("write");
        }
        assert_eq!(
            before.changes(&scratch.stamp.inputs()),
            Vec::<String>::new(),
            "expected build output, .git and the rendered book to be left out"
        );
        fs::write(tree.join("nested/kept.rs"), "").expect("write");
        assert_eq!(
            before.changes(&scratch.stamp.inputs()),
            ["new: file 0:nested/kept.rs"],
            "expected a new source file to be an input"
        );
    }

    #[test]
    fn a_stamp_reads_back_as_the_inputs_it_was_written_from() {
        let scratch = Scratch::new("render");
        let inputs = scratch.stamp.inputs();
        assert_eq!(
            Inputs::parse(&inputs.render("cargo test")),
            inputs,
            "expected a rendered stamp to parse back to the same inputs"
        );
    }
}
