//! C programs that the book's tests build: hosts that link or load a Rust library.
//!
//! Every C file is compiled with `gcc -Wall -Wextra -Werror`, so a warning fails the test. The
//! program lands in `<target>/c-programs/<name>`, where `<target>` is the root workspace's target
//! directory; give each program of a test suite its own name, because tests run in parallel.
//!
//! ```no_run
//! use book_harness::c::{CProgram, RustLibrary};
//!
//! let library = RustLibrary::build("ch11-cdylib-in-a-c-host", "libch11_cdylib_in_a_c_host.so");
//! let host = CProgram::new("ch11-linked-host")
//!     .include_dir("crates/probe-c-api/include")
//!     .source("crates/probe-c-api/c/linked_host.c")
//!     .link_library(library.dir(), "ch11_cdylib_in_a_c_host")
//!     .compile();
//! ```

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::recorded::Recording;
use crate::{repo, tools};

/// The warnings every C file of the book must compile without.
///
/// ```
/// use book_harness::c::{CProgram, WARNINGS};
///
/// let line = CProgram::new("host").source("host.c").command_line();
/// assert!(line.starts_with(&format!("gcc {}", WARNINGS.join(" "))), "{line}");
/// ```
pub const WARNINGS: [&str; 3] = ["-Wall", "-Wextra", "-Werror"];

/// A C program to compile with gcc: sources, compiler flags, and what to link.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("harness-{}-{}", "cprogram", std::process::id()));
/// std::fs::create_dir_all(&dir).expect("a writable temporary directory");
/// let source = dir.join("unused.c");
/// std::fs::write(&source, "int main(void) { int unused; return 0; }\n").expect("writable");
/// // -Wall -Wextra -Werror: an unused variable fails the build.
/// let warned = std::panic::catch_unwind(|| {
///     book_harness::c::CProgram::new("harness-doc-unused").source(&source).compile()
/// });
/// assert!(warned.is_err(), "gcc must refuse a warning");
/// # std::fs::remove_dir_all(&dir).ok();
/// ```
#[derive(Debug, Clone)]
pub struct CProgram {
    name: String,
    flags: Vec<OsString>,
    sources: Vec<PathBuf>,
    link: Vec<OsString>,
}

impl CProgram {
    /// A program called `name` (also its file name under `<target>/c-programs/`).
    ///
    /// ```
    /// let program = book_harness::c::CProgram::new("ch12-host");
    /// assert!(program.output().ends_with("c-programs/ch12-host"));
    /// ```
    pub fn new(name: &str) -> Self {
        CProgram {
            name: name.to_owned(),
            flags: Vec::new(),
            sources: Vec::new(),
            link: Vec::new(),
        }
    }

    /// Adds a C source file (relative to the repository root, or absolute).
    ///
    /// ```
    /// let line = book_harness::c::CProgram::new("host").source("crates/probe-c-api/c/report.c")
    ///     .command_line();
    /// assert!(line.contains(" crates/probe-c-api/c/report.c -o "), "relative to the root: {line}");
    /// ```
    pub fn source(mut self, path: impl AsRef<Path>) -> Self {
        self.sources.push(repo::root().join(path));
        self
    }

    /// Adds a directory to search for headers (`-I`; relative to the repository root, or absolute).
    ///
    /// ```
    /// let line = book_harness::c::CProgram::new("host").include_dir("crates/probe-c-api/include")
    ///     .command_line();
    /// assert!(line.contains(" -Icrates/probe-c-api/include"), "{line}");
    /// ```
    pub fn include_dir(mut self, dir: impl AsRef<Path>) -> Self {
        let mut flag = OsString::from("-I");
        flag.push(repo::root().join(dir));
        self.flags.push(flag);
        self
    }

    /// Adds a compiler flag, placed before the sources (`-DNAME`, `-O2`).
    ///
    /// ```
    /// let line = book_harness::c::CProgram::new("host").flag("-O2").source("host.c").command_line();
    /// assert!(line.contains("-Werror -O2 "), "flags come before the sources: {line}");
    /// ```
    pub fn flag(mut self, flag: impl Into<OsString>) -> Self {
        self.flags.push(flag.into());
        self
    }

    /// Links the shared library `lib<name>.so` found in `dir` (relative to the repository root, or
    /// absolute), and records where to find it at run time relative to the program itself
    /// (`-Wl,-rpath,$ORIGIN/...`), so the program runs without `LD_LIBRARY_PATH` from any
    /// directory, and the command line means the same on every machine.
    ///
    /// ```
    /// let line = book_harness::c::CProgram::new("host")
    ///     .link_library("target/debug", "ch11_cdylib_in_a_c_host")
    ///     .command_line();
    /// assert!(line.contains(" -lch11_cdylib_in_a_c_host "), "{line}");
    /// assert!(line.ends_with("'-Wl,-rpath,$ORIGIN/../debug'"), "found next to the program: {line}");
    /// ```
    pub fn link_library(mut self, dir: impl AsRef<Path>, name: &str) -> Self {
        let dir = repo::root().join(dir);
        let mut search = OsString::from("-L");
        search.push(&dir);
        let from_program = relative_path(&self.output_dir(), &dir);
        let rpath = format!("-Wl,-rpath,$ORIGIN/{}", from_program.display());
        self.link
            .extend([search, format!("-l{name}").into(), rpath.into()]);
        self
    }

    /// Adds a link argument, placed after the sources: a static archive's path, `-ldl`, `-lm`.
    ///
    /// ```
    /// let line = book_harness::c::CProgram::new("host").source("host.c").link_arg("-ldl")
    ///     .command_line();
    /// assert!(line.ends_with(" -ldl"), "link arguments come last: {line}");
    /// ```
    pub fn link_arg(mut self, arg: impl Into<OsString>) -> Self {
        self.link.push(arg.into());
        self
    }

    /// Where the program is written: `<target>/c-programs/<name>`.
    ///
    /// ```
    /// let output = book_harness::c::CProgram::new("host").output();
    /// assert_eq!(output, book_harness::repo::target_dir().join("c-programs/host"));
    /// ```
    pub fn output(&self) -> PathBuf {
        self.output_dir().join(&self.name)
    }

    fn output_dir(&self) -> PathBuf {
        repo::target_dir().join("c-programs")
    }

    fn arguments(&self) -> Vec<OsString> {
        self.arguments_writing(&self.output())
    }

    fn arguments_writing(&self, output: &Path) -> Vec<OsString> {
        let mut args: Vec<OsString> = WARNINGS.iter().map(OsString::from).collect();
        args.extend(self.flags.iter().cloned());
        args.extend(self.sources.iter().map(OsString::from));
        args.push("-o".into());
        args.push(output.into());
        args.extend(self.link.iter().cloned());
        args
    }

    /// The gcc command line, with paths inside the repository made relative to its root (as a
    /// reader would type it from there).
    ///
    /// ```
    /// let line = book_harness::c::CProgram::new("host").source("host.c").command_line();
    /// assert_eq!(line, "gcc -Wall -Wextra -Werror host.c -o target/c-programs/host");
    /// ```
    pub fn command_line(&self) -> String {
        let mut line = String::from("gcc");
        for arg in self.arguments() {
            let arg = arg.to_string_lossy();
            // A shell would expand `$ORIGIN`: quote it as a reader must.
            if arg.contains('$') {
                let _ = write!(line, " '{arg}'");
            } else {
                let _ = write!(line, " {arg}");
            }
        }
        crate::normalise(&line).trim_end().to_owned()
    }

    /// Compares the command line with the recording at `path` (relative to the repository root,
    /// or absolute), as `$ gcc ...` broken with ` \` to fit the page; `BLESS=1` rewrites it.
    /// For a book page that shows how the program was built.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("harness-{}-{}", "check-command", std::process::id()));
    /// std::fs::create_dir_all(&dir).expect("a writable temporary directory");
    /// let program = book_harness::c::CProgram::new("host").source("host.c");
    /// let recording = dir.join("build.txt");
    /// std::fs::write(&recording, format!("$ {}\n", program.command_line())).expect("writable");
    /// program.check_command(&recording);
    /// // Without BLESS=1, another command line fails the check.
    /// if std::env::var_os("BLESS").is_none() {
    ///     let other = program.flag("-O2");
    ///     assert!(std::panic::catch_unwind(|| other.check_command(&recording)).is_err());
    /// }
    /// # std::fs::remove_dir_all(&dir).ok();
    /// ```
    pub fn check_command(&self, path: impl AsRef<Path>) {
        let path = crate::recorded::resolve(path.as_ref());
        let shown = crate::width::wrap_commands(&format!("$ {}\n", self.command_line()));
        crate::recorded::compare_or_bless(&path, &shown);
    }

    /// A [`Recording`] of running the compiled program, shown as its path from the repository root
    /// (`target/c-programs/<name>`). Add arguments and environment as for any recording. The run
    /// does not inherit the `LD_LIBRARY_PATH` that `cargo test` sets, so the program finds its
    /// libraries as it would when started from a shell: through its `-Wl,-rpath`.
    ///
    /// ```
    /// let recording = book_harness::c::CProgram::new("host").recording();
    /// assert_eq!(recording.shown_command(), "$ target/c-programs/host");
    /// ```
    pub fn recording(&self) -> Recording {
        let shown = crate::normalise(&self.output().to_string_lossy());
        Recording::new(self.output(), shown.trim_end()).env_remove("LD_LIBRARY_PATH")
    }

    /// Compiles and links the program and returns its path. Panics with gcc's messages and the
    /// command line when gcc fails (a warning counts: `-Werror`), and with an install hint when
    /// gcc is missing.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("harness-{}-{}", "compile", std::process::id()));
    /// std::fs::create_dir_all(&dir).expect("a writable temporary directory");
    /// let source = dir.join("hello.c");
    /// std::fs::write(&source, "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n")
    ///     .expect("writable");
    /// let program = book_harness::c::CProgram::new("harness-doc-hello").source(&source).compile();
    /// let ran = std::process::Command::new(&program).output().expect("it runs");
    /// assert_eq!(ran.stdout, b"hi\n");
    /// # std::fs::remove_dir_all(&dir).ok();
    /// ```
    pub fn compile(&self) -> PathBuf {
        let gcc = tools::require("gcc", "gcc");
        assert!(
            !self.sources.is_empty(),
            "{}: no C source to compile",
            self.name
        );
        let output = self.output();
        if let Some(dir) = output.parent() {
            std::fs::create_dir_all(dir)
                .unwrap_or_else(|err| panic!("cannot create {}: {err}", dir.display()));
        }
        // gcc writes a file of its own in the same directory, which then replaces the program in
        // one rename: two tests that build the same program at once never run a file that the
        // other is still writing (exec would fail with "Text file busy").
        let partial = crate::process::unique_sibling(&output);
        let result = Command::new(&gcc)
            .args(self.arguments_writing(&partial))
            .output()
            .unwrap_or_else(|err| panic!("cannot run {}: {err}", gcc.display()));
        assert!(
            result.status.success(),
            "gcc could not build {} ({}):\n$ {}\n{}{}",
            self.name,
            result.status,
            self.command_line(),
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        );
        crate::process::replace_with(&partial, &output);
        output
    }
}

/// The path that leads from directory `from` to `to` (both absolute), with `..` where needed.
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path: PathBuf = from[common..].iter().map(|_| "..").collect();
    path.extend(&to[common..]);
    path
}

/// A Rust library for a C program: the `cdylib` or `staticlib` of a member of the root workspace.
///
/// ```
/// use book_harness::c::RustLibrary;
///
/// let library = RustLibrary { path: "target/debug/libfoo.so".into(), cargo_output: String::new() };
/// assert_eq!(library.dir(), std::path::Path::new("target/debug"));
/// ```
#[derive(Debug, Clone)]
pub struct RustLibrary {
    /// The built file, in `<target>/debug`.
    pub path: PathBuf,
    /// What cargo printed (stdout and stderr interleaved): rustc's notes, such as the one
    /// `--print native-static-libs` asks for, are here.
    pub cargo_output: String,
}

impl RustLibrary {
    /// Builds the library target of the root workspace member `package`
    /// (`cargo build --locked -p <package> --lib`) and returns `<target>/debug/<file_name>`
    /// (`libfoo.so` for a cdylib, `libfoo.a` for a staticlib).
    ///
    /// `cargo test` does not build a package's `cdylib` or `staticlib` for its integration tests
    /// (it cannot link them), so a test that hands one to a C program builds it first this way.
    ///
    /// No example: it runs a nested `cargo build` of a cdylib or staticlib, seconds to minutes;
    /// chapters 11 to 13's tests use it.
    pub fn build(package: &str, file_name: &str) -> Self {
        Self::cargo(&["build", "-p", package, "--lib"], file_name)
    }

    /// Like [`build`](Self::build), through `cargo rustc --locked -p <package> --lib --
    /// <rustc_args>`, for example `--print native-static-libs`. Pass the same arguments every
    /// time for one package: other arguments make cargo rebuild it.
    ///
    /// No example: as for [`build`](Self::build); chapter 12's tests use it.
    pub fn build_with_rustc_args(package: &str, file_name: &str, rustc_args: &[&str]) -> Self {
        let mut args = vec!["rustc", "-p", package, "--lib", "--"];
        args.extend_from_slice(rustc_args);
        Self::cargo(&args, file_name)
    }

    fn cargo(args: &[&str], file_name: &str) -> Self {
        let (subcommand, rest) = args.split_first().expect("a cargo subcommand");
        let mut command = Command::new(repo::cargo());
        command
            .arg(subcommand)
            .arg("--locked")
            .args(rest)
            .current_dir(repo::root());
        let shown = format!("cargo {subcommand} --locked {}", rest.join(" "));
        let (status, output) = crate::process::run_merged(command)
            .unwrap_or_else(|err| panic!("cannot run `{shown}`: {err}"));
        assert!(
            status.success(),
            "`{shown}` failed with {status}:\n{output}"
        );
        let path = repo::target_dir().join("debug").join(file_name);
        assert!(
            path.is_file(),
            "`{shown}` succeeded but {} does not exist; is `{file_name}` the library's file name?",
            path.display()
        );
        RustLibrary {
            path,
            cargo_output: output,
        }
    }

    /// The directory holding the library, for `-L` and `-Wl,-rpath`.
    ///
    /// ```
    /// let library = book_harness::c::RustLibrary {
    ///     path: book_harness::repo::target_dir().join("debug/libch12_staticlib_in_a_c_program.a"),
    ///     cargo_output: String::new(),
    /// };
    /// assert_eq!(library.dir(), book_harness::repo::target_dir().join("debug"));
    /// ```
    pub fn dir(&self) -> &Path {
        self.path
            .parent()
            .expect("a library file lies in a directory")
    }
}

// Unix only: these tests compile and run C programs with gcc and sh.
#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn write_source(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("book-harness-c-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a writable temporary directory");
        let path = dir.join(name);
        std::fs::write(&path, text).expect("a writable temporary file");
        path
    }

    #[test]
    fn a_clean_program_compiles_and_runs() {
        let source = write_source(
            "clean.c",
            "#include <stdio.h>\nint main(void) { puts(\"built\"); return 0; }\n",
        );
        let program = CProgram::new("harness-clean").source(&source).compile();
        let ran = Command::new(&program).output().expect("the program runs");
        assert_eq!(String::from_utf8_lossy(&ran.stdout), "built\n");
    }

    #[test]
    fn a_warning_fails_the_build_with_gccs_message() {
        let source = write_source("warning.c", "int main(void) { int unused; return 0; }\n");
        let failed = std::panic::catch_unwind(|| {
            CProgram::new("harness-warning").source(&source).compile();
        });
        let message = *failed
            .expect_err("an unused variable is an error under -Werror")
            .downcast::<String>()
            .expect("a formatted panic message");
        assert!(message.contains("unused variable"), "{message}");
        assert!(message.contains("gcc -Wall -Wextra -Werror"), "{message}");
    }

    #[test]
    fn libraries_come_after_the_sources_with_an_rpath() {
        let line = CProgram::new("host")
            .include_dir("include")
            .source("c/host.c")
            .link_library("target/debug", "greet")
            .link_arg("-ldl")
            .command_line();
        let output = crate::normalise(&CProgram::new("host").output().to_string_lossy());
        let library_dir = crate::normalise(&repo::root().join("target/debug").to_string_lossy());
        assert_eq!(
            line,
            format!(
                "gcc -Wall -Wextra -Werror -Iinclude c/host.c -o {} -L{} -lgreet \
                 '-Wl,-rpath,$ORIGIN/{}' -ldl",
                output.trim_end(),
                library_dir.trim_end(),
                relative_path(
                    &repo::target_dir().join("c-programs"),
                    &repo::root().join("target/debug")
                )
                .display()
            )
        );
    }

    #[test]
    fn relative_paths_climb_to_the_common_directory() {
        assert_eq!(
            relative_path(
                Path::new("/r/target/c-programs"),
                Path::new("/r/target/debug")
            ),
            Path::new("../debug")
        );
        assert_eq!(
            relative_path(Path::new("/r/a"), Path::new("/r/a")),
            Path::new("")
        );
    }
}
