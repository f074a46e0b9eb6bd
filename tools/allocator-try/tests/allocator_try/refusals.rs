//! The runner refuses, before running anything, the programs a preloaded `malloc` cannot serve,
//! and refuses results from a run that gives no evidence of the preloaded allocator. None of these
//! tests needs a preload library of allocator-try's: the libraries they preload are built here.
// Linux with glibc only: LD_PRELOAD, ELF inspection and the C programs built with gcc.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use book_harness::c::CProgram;
use book_harness::recorded::Recording;
use book_harness::separate_workspace::SeparateWorkspace;

const EXE: &str = env!("CARGO_BIN_EXE_allocator-try");
const RECORDED: &str = "tools/allocator-try/recorded";

fn scratch_dir() -> PathBuf {
    let dir = book_harness::repo::target_dir()
        .join("tmp")
        .join(format!("allocator-try-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a writable target directory");
    dir
}

fn c_source(name: &str, text: &str) -> PathBuf {
    let path = scratch_dir().join(name);
    std::fs::write(&path, text).expect("a writable scratch file");
    path
}

/// A small C program that allocates, dynamically linked against glibc.
fn c_program() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let source = c_source(
            "allocates.c",
            "#include <stdlib.h>\nint main(void) {\n  for (int i = 0; i < 1000; i++) {\n    \
             free(malloc(64 + (size_t)i));\n  }\n  return 0;\n}\n",
        );
        CProgram::new("allocates").source(source).compile()
    })
}

/// A shared library that loads fine and writes nothing: it is no allocator.
fn silent_library() -> PathBuf {
    let source = c_source(
        "silent.c",
        "int silent_library_answer(void) { return 42; }\n",
    );
    CProgram::new("libsilent.so")
        .flag("-shared")
        .flag("-fPIC")
        .source(source)
        .compile()
}

/// Runs the runner and returns (exit code, stdout, stderr).
fn try_it(args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(EXE)
        .args(args)
        .output()
        .expect("the runner runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_refused(args: &[&str], says: &[&str]) {
    let (code, stdout, stderr) = try_it(args);
    assert_eq!(
        code,
        Some(1),
        "expected exit status 1 for {args:?}, saw {code:?}: {stderr}"
    );
    assert!(
        !stdout.contains("System/it"),
        "expected no results for {args:?}, saw:\n{stdout}"
    );
    for part in says {
        assert!(
            stderr.contains(part),
            "expected the error to say {part:?}, saw: {stderr}"
        );
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

#[test]
fn a_run_without_evidence_is_refused() {
    let silent = silent_library();
    let dir = silent.parent().expect("the library lies in a directory");
    assert_eq!(
        Some(dir),
        c_program().parent(),
        "both in the C programs' directory"
    );
    let ran = Recording::new(EXE, "allocator-try")
        .arg("--only")
        .arg("jemalloc")
        .arg("--jemalloc-lib")
        .arg("./libsilent.so")
        .arg("--")
        .arg("./allocates")
        .current_dir(dir)
        .check(format!("{RECORDED}/no-evidence.txt"));
    assert_eq!(ran.status.code(), Some(1), "{}", ran.output);
    assert!(
        ran.output
            .contains("no evidence that jemalloc served the run")
            && !ran.output.contains("System/it"),
        "expected the results refused for lack of evidence, saw:\n{}",
        ran.output
    );
}

#[test]
fn a_rust_program_on_prefixed_jemalloc_is_refused() {
    SeparateWorkspace::root_member("listings/ch05-switching-to-jemalloc/01-jemalloc")
        .cargo(&["build", "--bins"])
        .assert_success();
    let program = book_harness::repo::target_dir().join("debug/ch05-jemalloc");
    let ran = Recording::new(EXE, "allocator-try")
        .arg("--")
        .arg(path(&program))
        .check(format!("{RECORDED}/prefixed-jemalloc.txt"));
    assert_eq!(ran.status.code(), Some(1), "{}", ran.output);
    assert!(
        ran.output
            .contains("its Rust allocations go to the jemalloc it carries"),
        "expected a refusal naming the jemalloc inside, saw:\n{}",
        ran.output
    );
}

#[test]
fn a_program_that_defines_malloc_is_refused() {
    SeparateWorkspace::at("listings/ch08-taking-over-malloc/01-unprefixed")
        .cargo(&["build", "--bins"])
        .assert_success();
    let program = book_harness::repo::target_dir().join("debug/ch08-c-heap");
    assert_refused(
        &["--", path(&program)],
        &["it defines malloc itself (jemalloc (unprefixed))"],
    );
}

#[test]
fn a_static_executable_is_refused() {
    let source = c_source("static.c", "int main(void) { return 0; }\n");
    let program = CProgram::new("allocator-try-static")
        .flag("-static")
        .source(source)
        .compile();
    assert_refused(&["--", path(&program)], &["statically linked"]);
}

#[test]
fn a_setuid_program_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let copy = scratch_dir().join("setuid-copy");
    std::fs::copy(c_program(), &copy).expect("a copy of the C program");
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o4755))
        .expect("permission to set the setuid bit on our own file");
    assert_refused(&["--", path(&copy)], &["setuid or setgid"]);
}

#[test]
fn a_script_or_a_missing_command_is_refused() {
    let script = c_source("script.sh", "#!/bin/sh\ntrue\n");
    assert_refused(&["--", path(&script)], &["try the interpreter it names"]);
    assert_refused(
        &["--", "no-such-command-here"],
        &["no such command in PATH"],
    );
}

#[test]
fn a_missing_library_names_the_command_that_builds_it() {
    assert_refused(
        &[
            "--only",
            "mimalloc",
            "--mimalloc-lib",
            "/no/such/libmimalloc.so.2",
            "--",
            path(c_program()),
        ],
        &[
            "build it with `cargo build --release --locked --manifest-path",
            "preload-mimalloc/Cargo.toml",
        ],
    );
}

#[test]
fn a_failing_program_is_refused() {
    let source = c_source("fails.c", "int main(void) { return 3; }\n");
    let program = CProgram::new("allocator-try-fails")
        .source(source)
        .compile();
    let silent = silent_library();
    assert_refused(
        &[
            "--only",
            "jemalloc",
            "--jemalloc-lib",
            path(&silent),
            "--",
            path(&program),
        ],
        &["failed under", "exit status 3"],
    );
}

#[test]
fn a_wrong_command_line_exits_with_2() {
    for args in [
        &[][..],
        &["--rounds", "1", "--", "true"][..],
        &["--fast"][..],
    ] {
        let (code, _, stderr) = try_it(args);
        assert_eq!(
            code,
            Some(2),
            "expected exit status 2 for {args:?}, saw {code:?}: {stderr}"
        );
        assert_eq!(
            stderr.lines().count(),
            1,
            "expected one line, saw: {stderr}"
        );
    }
}

#[test]
fn help_says_what_it_refuses_and_the_exit_statuses() {
    let ran = Recording::new(EXE, "allocator-try")
        .arg("--help")
        .check(format!("{RECORDED}/help.txt"));
    assert!(ran.status.success(), "{}", ran.output);
}
