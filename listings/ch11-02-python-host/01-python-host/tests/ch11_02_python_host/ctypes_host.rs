//! CPython loads the `cdylib-for-c` template with `ctypes`. Needs `python3`, so the README's second
//! test command runs these tests.
// The library is loaded into a Linux CPython, and the readings are glibc's counters.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use book_harness::recorded::{Ran, Recording};
use book_harness::repo;
use ch11_02_python_host::{PYTHON, RECORDED, python3, template_library};

/// The template's test uses 64 KiB too: above glibc's per-thread cache, below its mmap threshold.
const SIZE: i64 = 65536;

/// Runs `python/ctypes_host.py` on the template's library and compares with the recording.
fn ctypes_host() -> Ran {
    let python = python3();
    let library = template_library();
    let ran = Recording::new(python, "python3")
        .arg(&format!("{PYTHON}/ctypes_host.py"))
        .arg(&library.to_string_lossy())
        .current_dir(repo::root())
        .check(format!("{RECORDED}/ctypes-host.txt"));
    assert!(ran.status.success(), "the script failed:\n{}", ran.output);
    ran
}

/// The two numbers of the line `<label>: jemalloc +N B, glibc +M B`.
fn growth(output: &str, label: &str) -> (i64, i64) {
    let line = output
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{label}: jemalloc +")))
        .unwrap_or_else(|| panic!("no `{label}:` line in:\n{output}"));
    let (jemalloc, glibc) = line
        .split_once(" B, glibc +")
        .unwrap_or_else(|| panic!("expected `N B, glibc +M B`, got: {line}"));
    let number = |text: &str| -> i64 {
        text.trim_end_matches(" B")
            .parse()
            .unwrap_or_else(|err| panic!("`{text}` is not a byte count ({err}): {line}"))
    };
    (number(jemalloc), number(glibc))
}

#[test]
#[ignore = "needs python3 (Debian package python3): the second test command runs it"]
fn the_librarys_allocations_are_jemallocs_and_pythons_own_stay_glibcs() {
    let output = ctypes_host().output;
    let (jemalloc, glibc) = growth(&output, "library");
    assert!(
        jemalloc >= SIZE && glibc < SIZE,
        "expected the library's 64 KiB string from jemalloc (at least {SIZE} B) and not from \
         glibc (less than {SIZE} B); saw jemalloc +{jemalloc} B, glibc +{glibc} B:\n{output}"
    );
    let (jemalloc, glibc) = growth(&output, "python bytearray");
    assert!(
        jemalloc == 0 && glibc >= SIZE,
        "expected Python's 64 KiB bytearray from glibc (at least {SIZE} B) and nothing from \
         jemalloc; saw jemalloc +{jemalloc} B, glibc +{glibc} B:\n{output}"
    );
}

#[test]
#[ignore = "needs python3 (Debian package python3): the second test command runs it"]
fn a_c_void_p_result_goes_back_to_the_librarys_free_and_c_char_p_loses_it() {
    let output = ctypes_host().output;
    let expected = format!("the library returned {} bytes: AAAAA...", SIZE - 1);
    assert!(
        output.lines().any(|line| line == expected),
        "expected `{expected}`: the string read through the c_void_p, before it was freed with \
         cdylib_for_c_string_free; saw:\n{output}"
    );
    let lost = "with restype c_char_p: bytes b'LOST', and no pointer to free";
    assert!(
        output.lines().any(|line| line == lost),
        "expected `{lost}`: with c_char_p, ctypes copies the string into a bytes object and \
         drops the pointer; saw:\n{output}"
    );
}
