//! Bad input of each kind gets exit status 1 (2 for a wrong command line) and one line on stderr
//! that names the problem and what to do; stdout stays empty.

use std::path::PathBuf;
use std::process::Command;

use book_harness::recorded::Recording;

const EXE: &str = env!("CARGO_BIN_EXE_allocator-inspect");
const RECORDED: &str = "tools/allocator-inspect/recorded";

/// A scratch file holding `bytes`, in this test binary's own directory under the target dir.
fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = book_harness::repo::target_dir()
        .join("tmp")
        .join(format!("allocator-inspect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a writable target directory");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("a writable scratch file");
    path
}

/// Runs the inspector on `arg` and returns its one stderr line, after asserting the exit status,
/// that stdout is empty, and that stderr is one line.
fn one_line_error(args: &[&std::ffi::OsStr], status: i32) -> String {
    let output = Command::new(EXE)
        .args(args)
        .output()
        .expect("the inspector runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(status),
        "expected exit status {status} for {args:?}, saw {}; stderr: {stderr}",
        output.status
    );
    assert!(
        stdout.is_empty(),
        "expected nothing on stdout, saw: {stdout}"
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "expected one line on stderr, saw: {stderr}"
    );
    stderr.into_owned()
}

fn assert_says(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(
            message.contains(part),
            "expected the error to say {part:?}, saw: {message}"
        );
    }
}

#[test]
fn a_missing_file_says_to_build_it() {
    let message = one_line_error(&["no/such/program".as_ref()], 1);
    assert_says(
        &message,
        &["no/such/program: no such file", "build it first"],
    );
}

#[test]
fn a_directory_says_to_name_a_file_in_it() {
    let dir = book_harness::repo::root().join("tools");
    let message = one_line_error(&[dir.as_os_str()], 1);
    assert_says(&message, &["is a directory", "give a file in it"]);
}

#[test]
fn a_text_file_is_not_an_object() {
    let ran = Recording::new(EXE, "allocator-inspect")
        .arg("Cargo.toml")
        .current_dir(book_harness::repo::root())
        .check(format!("{RECORDED}/not-an-object.txt"));
    assert_eq!(ran.status.code(), Some(1), "{}", ran.output);
    assert_says(&ran.output, &["not an object file or archive"]);
}

#[test]
fn an_unsupported_format_is_named() {
    // The magic numbers are enough: the format is told apart before anything else is parsed.
    let mut mach_o = vec![0xcf, 0xfa, 0xed, 0xfe];
    mach_o.resize(64, 0);
    let message = one_line_error(&[scratch("program.macho", &mach_o).as_os_str()], 1);
    assert_says(
        &message,
        &["a Mach-O file", "reads 64-bit ELF files and archives"],
    );
    let mut elf32 = b"\x7fELF\x01\x01\x01".to_vec();
    elf32.resize(64, 0);
    let message = one_line_error(&[scratch("program.elf32", &elf32).as_os_str()], 1);
    assert_says(
        &message,
        &["a 32-bit ELF file", "reads 64-bit ELF files and archives"],
    );
}

#[test]
fn a_truncated_elf_file_is_malformed() {
    let whole = std::fs::read(EXE).expect("the inspector's own file");
    let truncated = scratch("truncated", &whole[..200]);
    let message = one_line_error(&[truncated.as_os_str()], 1);
    assert_says(&message, &["cannot be parsed", "is it truncated?"]);
}

#[test]
fn a_wrong_command_line_exits_with_2() {
    let message = one_line_error(&[], 2);
    assert_says(
        &message,
        &["no file given", "usage: allocator-inspect FILE"],
    );
    let message = one_line_error(&["--jsno".as_ref()], 2);
    assert_says(&message, &["unknown option --jsno", "--help"]);
}

#[test]
fn help_documents_the_verdicts_and_exit_statuses() {
    let ran = Recording::new(EXE, "allocator-inspect")
        .arg("--help")
        .check(format!("{RECORDED}/help.txt"));
    assert!(ran.status.success(), "{}", ran.output);
}

/// An archive with no Rust in it is not an error: the verdict says so, and what C's `malloc` does.
#[test]
fn an_archive_with_no_rust_in_it_says_so() {
    let source = scratch("no_rust.c", b"int answer(void) { return 42; }\n");
    let object = source.with_extension("o");
    let archive = source.with_file_name("libno_rust.a");
    let gcc = book_harness::tools::require("gcc", "gcc");
    let ar = book_harness::tools::require("ar", "binutils");
    let compiled = Command::new(gcc)
        .args(["-c", "-o"])
        .arg(&object)
        .arg(&source)
        .status()
        .expect("gcc runs");
    assert!(
        compiled.success(),
        "gcc could not compile {}",
        source.display()
    );
    let _ = std::fs::remove_file(&archive);
    let archived = Command::new(ar)
        .arg("rcs")
        .arg(&archive)
        .arg(&object)
        .status()
        .expect("ar runs");
    assert!(
        archived.success(),
        "ar could not build {}",
        archive.display()
    );
    let output = Command::new(EXE)
        .arg(&archive)
        .output()
        .expect("the inspector runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "expected exit status 0 for a C archive, saw {}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.starts_with("verdict: Rust: none; malloc: unused"),
        "expected the verdict to say the archive holds no Rust and no malloc call, saw:\n{stdout}"
    );
}
