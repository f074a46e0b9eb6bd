//! Builds the library, compiles the C hosts with `gcc -Wall -Wextra -Werror`, runs them and checks
//! who serves what.
// Linux with glibc 2.33 or newer only: the host reads glibc's counters with `mallinfo2`.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// The library's name: the package's, with `-` as `_` (Cargo's rule while `[lib]` sets no `name`),
/// so the tests follow when you rename the package.
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

/// `cargo test` does not build a cdylib for the tests, so build it here, into the same target
/// directory and profile, and return its path.
fn library() -> PathBuf {
    let profile = profile_dir();
    let target = profile.parent().expect("target/<profile> has a parent");
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cargo
        .args(["build", "--lib", "--manifest-path"])
        .arg(Path::new(MANIFEST_DIR).join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target);
    if profile.ends_with("release") {
        cargo.arg("--release");
    }
    let status = cargo.status().expect("cargo runs");
    assert!(status.success(), "cargo build --lib failed");
    profile.join(format!("lib{}.so", library_name()))
}

/// Compiles `c/<name>.c` with warnings as errors, links `extra`, and returns the program's path.
fn compile(name: &str, extra: &[OsString]) -> PathBuf {
    let output = profile_dir().join(format!("c-{name}"));
    let result = Command::new("gcc")
        .args(["-Wall", "-Wextra", "-Werror", "-I"])
        .arg(Path::new(MANIFEST_DIR).join("include"))
        .arg(Path::new(MANIFEST_DIR).join("c").join(format!("{name}.c")))
        .arg("-o")
        .arg(&output)
        .args(extra)
        .output()
        .expect("gcc runs (install it with your system's package manager)");
    assert!(
        result.status.success(),
        "gcc failed on c/{name}.c:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    output
}

fn run(program: &Path, args: &[&Path]) -> String {
    let output = Command::new(program)
        .args(args)
        .env_remove("LD_LIBRARY_PATH")
        .output()
        .expect("the program runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{} failed: {}\n{stdout}{}",
        program.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
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
    let glibc = glibc.trim_end_matches(" B");
    (
        jemalloc.parse().expect("a byte count"),
        glibc.parse().expect("a byte count"),
    )
}

#[test]
fn the_library_allocates_with_jemalloc_and_the_host_with_glibc() {
    let library = library();
    let dir = library.parent().expect("the library lies in a directory");
    let mut rpath = OsString::from("-Wl,-rpath,");
    rpath.push(dir);
    let mut search = OsString::from("-L");
    search.push(dir);
    let link = OsString::from(format!("-l{}", library_name()));
    let host = compile("host", &[search, link, rpath]);
    let output = run(&host, &[]);
    let (jemalloc, glibc) = growth(&output, "library");
    assert!(
        jemalloc >= 65536,
        "jemalloc served less than the string:\n{output}"
    );
    assert!(
        glibc < 65536,
        "glibc served the library's string:\n{output}"
    );
    let (jemalloc, glibc) = growth(&output, "host malloc");
    assert_eq!(jemalloc, 0, "jemalloc served the host's malloc:\n{output}");
    assert!(
        glibc >= 65536,
        "glibc did not serve the host's malloc:\n{output}"
    );
}

#[test]
fn a_host_can_load_the_library_with_dlopen() {
    let library = library();
    let host = compile("plugin_host", &["-ldl".into()]);
    assert_eq!(run(&host, &[&library]), "LOADED WITH DLOPEN\n");
}
