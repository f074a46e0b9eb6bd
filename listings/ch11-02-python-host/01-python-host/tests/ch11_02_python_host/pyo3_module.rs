//! CPython imports a PyO3 extension module whose global allocator is jemalloc. Needs `python3`
//! (to build the module and to import it), so the README's second test command runs these tests.
// The module is built for and imported by a Linux CPython, and read with glibc's counters.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::recorded::{Ran, Recording};
use book_harness::repo;
use ch03_probe::Reading;
use ch03_probe::Verdict;
use ch03_probe::run::assert_served_by;
use ch11_02_python_host::{PYTHON, RECORDED, Tls, module_dir, python3};

/// The sizes `python/import_module.py` measures.
const SIZES: [u64; 2] = [100, 1 << 20];

/// Runs `python/import_module.py` on the module built with `tls`, compared with `recording`.
fn import(tls: Tls, recording: &str) -> Ran {
    let dir = module_dir(tls);
    Recording::new(python3(), "python3")
        .arg(&format!("{PYTHON}/import_module.py"))
        .arg(&dir.to_string_lossy())
        .current_dir(repo::root())
        .check(format!("{RECORDED}/{recording}"))
}

/// What the dlopen-safe module measured, per size: its Rust allocations, PyO3's `String`
/// extraction, and the `bytes` objects PyO3 created.
struct Measured {
    rust: Vec<Reading>,
    extracted: Vec<Reading>,
    python: Vec<Reading>,
}

fn measured() -> Measured {
    let ran = import(Tls::DlopenSafe, "import-dlopen-safe.txt");
    assert!(
        ran.status.success(),
        "the dlopen-safe module did not import and run:\n{}",
        ran.output
    );
    let readings = ch03_probe::reading::parse_all(&ran.output)
        .unwrap_or_else(|err| panic!("a bad reading: {err}\n{}", ran.output));
    let sizes: Vec<u64> = readings.iter().map(|r| r.size).collect();
    let expected: Vec<u64> = SIZES.iter().flat_map(|&size| [size; 3]).collect();
    assert_eq!(
        sizes, expected,
        "three readings per size expected:\n{}",
        ran.output
    );
    Measured {
        rust: readings.iter().step_by(3).cloned().collect(),
        extracted: readings.iter().skip(1).step_by(3).cloned().collect(),
        python: readings.iter().skip(2).step_by(3).cloned().collect(),
    }
}

#[test]
#[ignore = "needs python3 (Debian package python3): the second test command runs it"]
fn without_disable_initial_exec_tls_the_import_fails_for_lack_of_static_tls() {
    let ran = import(Tls::InitialExec, "import-initial-exec.txt");
    assert_eq!(
        ran.status.code(),
        Some(1),
        "expected python3 to exit with 1 on an ImportError; saw {}:\n{}",
        ran.status,
        ran.output
    );
    let last = ran.output.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("ImportError: ")
            && last.ends_with("ch11_pyo3.so: cannot allocate memory in static TLS block"),
        "expected the import to end in an ImportError for lack of static TLS; saw:\n{}",
        ran.output
    );
}

#[test]
#[ignore = "needs python3 (Debian package python3): the second test command runs it"]
fn the_modules_rust_allocations_and_pyo3s_strings_are_jemallocs() {
    let measured = measured();
    for reading in measured.rust.iter().chain(&measured.extracted) {
        assert_served_by(reading, Verdict::Jemalloc);
    }
}

#[test]
#[ignore = "needs python3 (Debian package python3): the second test command runs it"]
fn the_python_objects_pyo3_creates_are_pythons_not_jemallocs() {
    let measured = measured();
    let [small, large] = &measured.python[..] else {
        panic!("two readings of Python objects expected");
    };
    // Above 512 bytes, CPython's object allocator hands the request to malloc: glibc's.
    assert_served_by(large, Verdict::System);
    // Up to 512 bytes, CPython serves objects from its own pools (pymalloc): neither counter moves.
    assert!(
        small.jemalloc_thread == Some(0) && small.jemalloc_owns == Some(false),
        "expected jemalloc to see none of Python's 100 B objects: {small}"
    );
    assert!(
        small.glibc.is_some_and(|grew| grew < small.size as i64),
        "expected glibc's counters to stay below one block for pymalloc's objects: {small}"
    );
}
