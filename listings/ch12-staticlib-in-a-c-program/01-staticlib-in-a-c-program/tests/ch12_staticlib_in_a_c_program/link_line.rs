//! What the C linker needs besides the archive: rustc says it with `--print native-static-libs`.
//! jemalloc is not in the list, because it is inside the archive.
// Linux with glibc only: the native libraries rustc names are glibc's (`-lc`, `-lm` ...).
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::recorded::Recording;
use ch03_probe::symbols::{ArtifactSymbols, Presence};

const RECORDED: &str =
    "listings/ch12-staticlib-in-a-c-program/01-staticlib-in-a-c-program/recorded";

/// `cargo rustc` with the arguments `c_program.rs` also uses, recorded as a reader would run it.
fn native_static_libs(package: &str, recording: &str) -> String {
    let ran = Recording::new(book_harness::repo::cargo(), "cargo")
        .current_dir(book_harness::repo::root())
        .arg("rustc")
        .arg("-q")
        .arg("-p")
        .arg(package)
        .arg("--lib")
        .arg("--")
        .arg("--print")
        .arg("native-static-libs")
        .check(format!("{RECORDED}/{recording}"));
    assert!(ran.status.success(), "{}", ran.output);
    ran.output
}

#[test]
fn rustc_lists_the_c_libraries_to_link_and_jemalloc_is_not_one_of_them() {
    let output = native_static_libs("ch12-staticlib-in-a-c-program", "native-static-libs.txt");
    let libs = output
        .lines()
        .find_map(|line| line.strip_prefix("note: native-static-libs: "))
        .unwrap_or_else(|| panic!("no native-static-libs line:\n{output}"));
    assert!(libs.split_whitespace().any(|lib| lib == "-lc"), "{libs}");
    assert!(!libs.contains("jemalloc"), "{libs}");
}

#[test]
fn the_system_variant_needs_the_same_libraries() {
    let jemalloc = native_static_libs("ch12-staticlib-in-a-c-program", "native-static-libs.txt");
    let system = native_static_libs("ch12-system-staticlib", "native-static-libs-system.txt");
    let libs = |output: &str| {
        output
            .lines()
            .find(|line| line.contains("native-static-libs: "))
            .map(str::to_owned)
    };
    assert_eq!(libs(&jemalloc), libs(&system));
}

#[test]
fn jemalloc_is_bundled_inside_the_archive_and_c_malloc_is_not_replaced() {
    native_static_libs("ch12-staticlib-in-a-c-program", "native-static-libs.txt");
    let archive = book_harness::repo::target_dir().join("debug/libch12_staticlib_in_a_c_program.a");
    let symbols = ArtifactSymbols::read(&archive).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(symbols.presence("_rjem_malloc"), Presence::Defined);
    assert_eq!(symbols.presence("_rjem_mallocx"), Presence::Defined);
    assert_eq!(symbols.presence("malloc"), Presence::Imported);
}

#[test]
fn an_archive_shows_what_is_inside_not_who_serves() {
    // An archive keeps every object of every crate in it. Both define std's System code behind the
    // shim, and both define jemalloc's malloc (the System variant links jemalloc through the probe,
    // to read its counters). Only the readings of `c_program.rs` tell who serves.
    native_static_libs("ch12-staticlib-in-a-c-program", "native-static-libs.txt");
    native_static_libs("ch12-system-staticlib", "native-static-libs-system.txt");
    for file in [
        "libch12_staticlib_in_a_c_program.a",
        "libch12_system_staticlib.a",
    ] {
        let archive = book_harness::repo::target_dir().join("debug").join(file);
        let symbols = ArtifactSymbols::read(&archive).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(symbols.presence("__rdl_alloc"), Presence::Defined, "{file}");
        assert_eq!(
            symbols.presence("_rjem_malloc"),
            Presence::Defined,
            "{file}"
        );
    }
}
