//! Why the two dynamic builds differ, read from the files and from the loader: which file
//! defines rustc's allocator shim (`__rustc::__rust_alloc`), which file exports it (puts it in its
//! dynamic symbol table, where the loader looks), and where glibc's loader binds std's calls.
//! Written for x86-64 Linux with glibc (ELF, `LD_DEBUG`, and one `jmp` instruction decoded).
// ELF symbols, glibc's LD_DEBUG and an x86-64 jmp decoded: Linux x86-64 with glibc only.
#![cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use object::{Object, ObjectSection, ObjectSymbol, RelocationTarget};

use crate::common;

use common::{SHARED_STD, STATIC_STD, target_libdir};

const DYLIB_BINARY: &str = env!("CARGO_BIN_EXE_std-allocations");
const SHIM: &str = "__rustc::__rust_alloc";

/// A symbol name demangled without its hash (`__rustc::__rust_alloc`).
fn demangled(raw: &str) -> String {
    match rustc_demangle::try_demangle(raw) {
        Ok(name) => format!("{name:#}"),
        Err(_) => raw.to_owned(),
    }
}

/// How one file carries a symbol: defined in its full symbol table, and defined or imported
/// in its dynamic symbol table (the one the loader reads).
#[derive(Debug, Default, PartialEq, Eq)]
struct Carries {
    defined: bool,
    exported: bool,
    imported: bool,
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

fn carries(path: &Path, name: &str) -> Carries {
    let data = read(path);
    let file = object::File::parse(&*data)
        .unwrap_or_else(|err| panic!("{} is not an object file: {err}", path.display()));
    let mut carries = Carries::default();
    for symbol in file.symbols() {
        if symbol.name().map(demangled).as_deref() == Ok(name) && !symbol.is_undefined() {
            carries.defined = true;
        }
    }
    for symbol in file.dynamic_symbols() {
        if symbol.name().map(demangled).as_deref() == Ok(name) {
            if symbol.is_undefined() {
                carries.imported = true;
            } else {
                carries.exported = true;
            }
        }
    }
    carries
}

/// The toolchain's `libstd-<hash>.so`.
fn libstd() -> PathBuf {
    let dir = PathBuf::from(target_libdir());
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("libstd-") && name.ends_with(".so")
        })
        .unwrap_or_else(|| panic!("no libstd-*.so in {}", dir.display()))
}

/// The jemalloc dylib, which Cargo builds into `target/debug/deps`.
fn dylib() -> PathBuf {
    Path::new(DYLIB_BINARY)
        .parent()
        .expect("the binary lies in target/debug")
        .join("deps/libch10_jemalloc_dylib.so")
}

#[test]
fn libstd_exports_a_shim_that_jumps_to_system_and_calls_the_shim_through_the_loader() {
    let path = libstd();
    assert_eq!(
        carries(&path, SHIM),
        Carries {
            defined: true,
            exported: true,
            imported: false
        },
        "{}",
        path.display()
    );
    let data = read(&path);
    let file = object::File::parse(&*data).expect("libstd is an ELF file");
    let address_of = |name: &str| {
        file.symbols()
            .find(|s| s.name().map(demangled).as_deref() == Ok(name) && !s.is_undefined())
            .unwrap_or_else(|| panic!("{} defines no {name}", path.display()))
            .address()
    };
    // The shim's first instruction: `jmp rel32` (E9) to std's System code, `__rdl_alloc`.
    let shim = address_of(SHIM);
    let text = file.section_by_name(".text").expect("a .text section");
    let code = text.data().expect("readable code");
    let at = (shim - text.address()) as usize;
    assert_eq!(code[at], 0xE9, "the shim does not start with a jmp");
    let offset = i32::from_le_bytes(code[at + 1..at + 5].try_into().expect("4 bytes"));
    let target = (shim as i64 + 5 + i64::from(offset)) as u64;
    assert_eq!(
        target,
        address_of("__rustc::__rdl_alloc"),
        "the shim jumps elsewhere"
    );
    // std's own code reaches the shim through a dynamic relocation, which the loader fills in
    // with the first definition of the name it finds, not necessarily libstd's.
    let symbols: Vec<_> = file.dynamic_symbols().collect();
    let relocated: BTreeSet<String> = file
        .dynamic_relocations()
        .expect("libstd has dynamic relocations")
        .filter_map(|(_, relocation)| match relocation.target() {
            RelocationTarget::Symbol(index) => symbols
                .iter()
                .find(|s| s.index() == index)
                .and_then(|s| s.name().ok())
                .map(demangled),
            _ => None,
        })
        .collect();
    assert!(
        relocated.contains(SHIM),
        "no dynamic relocation names {SHIM}"
    );
}

#[test]
fn the_dylib_exports_its_shim_and_the_binary_that_links_it_imports_one() {
    assert_eq!(
        carries(&dylib(), SHIM),
        Carries {
            defined: true,
            exported: true,
            imported: false
        }
    );
    assert_eq!(
        carries(Path::new(DYLIB_BINARY), SHIM),
        Carries {
            defined: false,
            exported: false,
            imported: true
        }
    );
}

#[test]
fn a_binary_that_declares_the_allocator_defines_its_shim_but_does_not_export_it() {
    for binary in [&*SHARED_STD, &*STATIC_STD] {
        assert_eq!(
            carries(binary, SHIM),
            Carries {
                defined: true,
                exported: false,
                imported: false
            },
            "{}",
            binary.display()
        );
    }
}

/// The libraries the loader loads for `program`, in its search order (`LD_TRACE_LOADED_OBJECTS`
/// makes glibc's loader list them and exit, as `ldd` does).
fn load_order(program: &Path) -> Vec<String> {
    let output = Command::new(program)
        .env("LD_TRACE_LOADED_OBJECTS", "1")
        .env("LD_LIBRARY_PATH", library_path())
        .output()
        .expect("the loader runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect()
}

fn library_path() -> String {
    let inherited = std::env::var("LD_LIBRARY_PATH").unwrap_or_default();
    format!("{}:{inherited}", target_libdir())
}

fn position(libraries: &[String], prefix: &str) -> usize {
    libraries
        .iter()
        .position(|library| library.starts_with(prefix))
        .unwrap_or_else(|| panic!("{prefix}* is not loaded: {libraries:?}"))
}

#[test]
fn the_loader_searches_the_dylib_before_libstd() {
    let libraries = load_order(Path::new(DYLIB_BINARY));
    assert!(
        position(&libraries, "libch10_jemalloc_dylib.so") < position(&libraries, "libstd-"),
        "{libraries:?}"
    );
}

/// `LD_DEBUG=bindings`: for each file that looks up the shim, the file the loader bound it to,
/// shortened to file names.
fn bindings(program: &Path, shown: &str) -> String {
    let output = Command::new(program)
        .arg("args")
        .env("LD_DEBUG", "bindings")
        .env("LD_LIBRARY_PATH", library_path())
        .output()
        .expect("the program runs");
    assert!(output.status.success(), "{shown} failed: {output:?}");
    let name = |path: &str| {
        let file = Path::new(path).file_name().and_then(|n| n.to_str());
        file.unwrap_or(path).to_owned()
    };
    let mut transcript = format!("$ LD_DEBUG=bindings {shown} args   (the shim's lines)\n");
    for line in String::from_utf8_lossy(&output.stderr).lines() {
        // `binding file <from> [0] to <to> [0]: normal symbol `<name>'`
        let Some((files, symbol)) = line.split_once(": normal symbol `") else {
            continue;
        };
        if demangled(symbol.trim_end_matches('\'')) != SHIM {
            continue;
        }
        let files = files.split_once("binding file ").map_or(files, |(_, f)| f);
        let mut parts = files.split(" [0] to ");
        let (from, to) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let to = to.trim_end_matches(" [0]");
        transcript.push_str(&format!("{} -> {}\n", name(from), name(to)));
    }
    transcript
}

#[test]
fn the_loader_binds_stds_shim_calls_to_the_dylib_or_to_libstd_itself() {
    let with_dylib = bindings(Path::new(DYLIB_BINARY), "target/debug/std-allocations");
    let shared_std = bindings(&SHARED_STD, "target/debug/shared-std");
    book_harness::recorded::check_transcript(
        "listings/ch10-rust-dylib/01-rust-dylib/recorded/bindings.txt",
        &format!("{with_dylib}{shared_std}"),
    );
    let libstd = libstd();
    let libstd = libstd
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a file name");
    for from in [libstd, "std-allocations"] {
        assert!(
            with_dylib.contains(&format!("{from} -> libch10_jemalloc_dylib.so")),
            "{with_dylib}"
        );
    }
    assert!(
        shared_std.contains(&format!("{libstd} -> {libstd}")),
        "{shared_std}"
    );
}
