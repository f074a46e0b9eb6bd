//! The C program linked with each staticlib: who serves the library's Rust allocations (jemalloc,
//! or glibc for the System variant) and who serves the program's own `malloc` (glibc).
// Linux with glibc only: the C program reads glibc's counters (`mallinfo2`).
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::c::{CProgram, RustLibrary};
use ch03_probe::Verdict;
use probe_c_api::report::Report;

const RECORDED: &str =
    "listings/ch12-staticlib-in-a-c-program/01-staticlib-in-a-c-program/recorded";
const PROBE_C_API: &str = "crates/probe-c-api";
/// The sizes the C program measures.
const SIZES: &[u64] = &[100, 1 << 20];

/// Builds the staticlib of `package` exactly as `link_line.rs` does (the same rustc arguments, so
/// neither rebuilds the other's), and returns it with the libraries rustc says to link with it.
fn staticlib(package: &str) -> (RustLibrary, Vec<String>) {
    let file = format!("lib{}.a", package.replace('-', "_"));
    let library =
        RustLibrary::build_with_rustc_args(package, &file, &["--print", "native-static-libs"]);
    let native = library
        .cargo_output
        .lines()
        .find_map(|line| {
            line.split_once("native-static-libs: ")
                .map(|(_, libs)| libs)
        })
        .unwrap_or_else(|| {
            panic!(
                "rustc printed no native-static-libs:\n{}",
                library.cargo_output
            )
        })
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    (library, native)
}

/// The C program of chapters 11 and 12, called `name`, linked with `package`'s archive.
fn program(name: &str, package: &str) -> CProgram {
    let (library, native) = staticlib(package);
    let mut program = CProgram::new(name)
        .include_dir(format!("{PROBE_C_API}/include"))
        .source(format!("{PROBE_C_API}/c/linked_host.c"))
        .source(format!("{PROBE_C_API}/c/report.c"))
        .link_arg(&library.path);
    for lib in native {
        program = program.link_arg(lib);
    }
    program.compile();
    program
}

#[test]
fn with_jemalloc_the_rust_allocations_go_to_jemalloc_and_c_malloc_to_glibc() {
    let program = program("ch12-jemalloc-program", "ch12-staticlib-in-a-c-program");
    program.check_command(format!("{RECORDED}/build-jemalloc-program.txt"));
    let ran = program
        .recording()
        .check(format!("{RECORDED}/jemalloc-program.txt"));
    assert!(ran.status.success(), "{}", ran.output);
    Report::parse(&ran.output, SIZES).assert_served_by(Verdict::Jemalloc, Verdict::System);
}

#[test]
fn with_system_both_sides_go_to_glibc() {
    let ran = program("ch12-system-program", "ch12-system-staticlib")
        .recording()
        .check(format!("{RECORDED}/system-program.txt"));
    assert!(ran.status.success(), "{}", ran.output);
    Report::parse(&ran.output, SIZES).assert_served_by(Verdict::System, Verdict::System);
}
