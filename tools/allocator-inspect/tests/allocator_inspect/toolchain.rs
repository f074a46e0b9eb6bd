//! Artifacts nobody here wrote: the pinned toolchain's own `rustc`, `librustc_driver` and `cargo`,
//! and a C program of the system.
// Linux with glibc only: these are the x86_64 GNU toolchain's ELF files.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::PathBuf;

use allocator_inspect::{CMalloc, Dlopen, RustAllocator, inspect};
use book_harness::recorded::Recording;

const EXE: &str = env!("CARGO_BIN_EXE_allocator-inspect");

fn sysroot() -> PathBuf {
    let output = book_harness::rustc::command()
        .args(["--print", "sysroot"])
        .output()
        .expect("the pinned rustc runs");
    PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
}

/// `lib/librustc_driver-<hash>.so`, relative to the sysroot.
fn driver() -> String {
    let lib = sysroot().join("lib");
    let entries = std::fs::read_dir(&lib).unwrap_or_else(|err| panic!("{}: {err}", lib.display()));
    entries
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .find(|name| name.starts_with("librustc_driver-") && name.ends_with(".so"))
        .map(|name| format!("lib/{name}"))
        .unwrap_or_else(|| panic!("no librustc_driver-*.so in {}", lib.display()))
}

#[test]
fn rustc_takes_over_malloc_with_jemalloc_and_its_driver_runs_on_the_default() {
    let root = sysroot();
    let rustc = inspect(root.join("bin/rustc")).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        (rustc.verdict.rust.clone(), rustc.verdict.malloc),
        (RustAllocator::InRustDylib, CMalloc::UnprefixedJemalloc),
        "{rustc}"
    );
    let driver_path = driver();
    let driver = inspect(root.join(&driver_path)).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        (
            driver.verdict.rust.clone(),
            driver.verdict.malloc,
            driver.verdict.dlopen
        ),
        (
            RustAllocator::SystemDefault,
            CMalloc::Imported,
            Some(Dlopen::Fails)
        ),
        "{driver}"
    );
    let ran = Recording::new(EXE, "allocator-inspect")
        .arg("bin/rustc")
        .arg(&driver_path)
        .current_dir(&root)
        .check("tools/allocator-inspect/recorded/toolchain.txt");
    assert!(ran.status.success(), "{}", ran.output);
}

#[test]
fn a_c_program_of_the_system_has_no_rust_and_imports_malloc() {
    let ls = inspect("/bin/ls").unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        (ls.verdict.rust.clone(), ls.verdict.malloc),
        (RustAllocator::NoRust, CMalloc::Imported),
        "{ls}"
    );
}
