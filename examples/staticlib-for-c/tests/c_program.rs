//! Builds the archive, links the C program with `gcc -Wall -Wextra -Werror` and the libraries
//! rustc names, runs it and checks who serves what.
// Linux with glibc 2.33 or newer only: the program reads glibc's counters with `mallinfo2`.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::{Path, PathBuf};
use std::process::Command;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// The library's name: the package's, with `-` as `_` (Cargo's rule while `[lib]` sets no `name`),
/// so the test follows when you rename the package.
fn library_name() -> String {
    env!("CARGO_PKG_NAME").replace('-', "_")
}

/// `target/<profile>`: this test runs from `target/<profile>/deps/`.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows its own path");
    exe.ancestors()
        .nth(2)
        .expect("tests run from target/<profile>/deps")
        .to_owned()
}

/// Builds the archive with `cargo rustc --lib -- --print native-static-libs` (`cargo test` does
/// not build a staticlib for the tests) and returns its path and the C libraries rustc says to
/// link with it.
fn archive() -> (PathBuf, Vec<String>) {
    let profile = profile_dir();
    let target = profile.parent().expect("target/<profile> has a parent");
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cargo
        .args(["rustc", "--lib", "--manifest-path"])
        .arg(Path::new(MANIFEST_DIR).join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target);
    if profile.ends_with("release") {
        cargo.arg("--release");
    }
    let output = cargo
        .args(["--", "--print", "native-static-libs"])
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo rustc failed:\n{stderr}");
    // rustc prints the list as a note; cargo repeats it when the library is already built.
    let libs = stderr
        .lines()
        .find_map(|line| line.split_once("native-static-libs: "))
        .map(|(_, libs)| libs.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_else(|| panic!("rustc printed no native-static-libs:\n{stderr}"));
    (profile.join(format!("lib{}.a", library_name())), libs)
}

#[test]
fn the_library_allocates_with_jemalloc_and_the_program_with_glibc() {
    let (archive, libs) = archive();
    let program = profile_dir().join("c-program");
    let result = Command::new("gcc")
        .args(["-Wall", "-Wextra", "-Werror", "-I"])
        .arg(Path::new(MANIFEST_DIR).join("include"))
        .arg(Path::new(MANIFEST_DIR).join("c/program.c"))
        .arg("-o")
        .arg(&program)
        .arg(&archive)
        .args(&libs)
        .output()
        .expect("gcc runs (install it with your system's package manager)");
    assert!(
        result.status.success(),
        "gcc failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let ran = Command::new(&program).output().expect("the program runs");
    let output = String::from_utf8_lossy(&ran.stdout);
    assert!(
        ran.status.success(),
        "the program failed: {}\n{output}",
        ran.status
    );
    let (jemalloc, glibc) = growth(&output, "library");
    assert!(
        jemalloc >= 65536,
        "jemalloc served less than the string:\n{output}"
    );
    assert!(
        glibc < 65536,
        "glibc served the library's string:\n{output}"
    );
    let (jemalloc, glibc) = growth(&output, "program malloc");
    assert_eq!(
        jemalloc, 0,
        "jemalloc served the program's malloc:\n{output}"
    );
    assert!(
        glibc >= 65536,
        "glibc did not serve the program's malloc:\n{output}"
    );
}

/// The two numbers of a line `<label>: jemalloc +N B, glibc +M B`.
fn growth(output: &str, label: &str) -> (u64, i64) {
    let line = output
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{label}: jemalloc +")))
        .unwrap_or_else(|| panic!("no `{label}:` line in:\n{output}"));
    let (jemalloc, glibc) = line
        .split_once(" B, glibc +")
        .unwrap_or_else(|| panic!("unexpected line: {line}"));
    (
        jemalloc.parse().expect("a byte count"),
        glibc.trim_end_matches(" B").parse().expect("a byte count"),
    )
}
