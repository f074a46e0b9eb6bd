//! The same library built with jemalloc's `disable_initial_exec_tls` (a separate workspace): no
//! `STATIC_TLS` flag, and `dlopen` succeeds from a C host and from a Rust host.
// Linux with glibc only: it reads the ELF `STATIC_TLS` flag and loads with glibc's `dlopen`.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use crate::common;

use book_harness::recorded::Recording;
use ch03_probe::tls::ThreadLocalStorage;
use common::{
    RECORDED, assert_library_on_jemalloc_and_host_on_glibc, default_library, dlopen_host,
    dlopen_safe_library,
};

#[test]
fn the_dlopen_safe_build_has_no_static_tls_flag() {
    let tls = ThreadLocalStorage::read(dlopen_safe_library()).unwrap_or_else(|err| panic!("{err}"));
    assert!(!tls.static_tls, "{tls:?}");
    let ran = Recording::cargo_run(
        "ch11-cdylib-in-a-c-host",
        "tls-report",
        env!("CARGO_BIN_EXE_tls-report"),
    )
    .arg(&default_library().path.to_string_lossy())
    .arg(&dlopen_safe_library().to_string_lossy())
    .check(format!("{RECORDED}/tls-report.txt"));
    assert!(ran.status.success(), "{}", ran.output);
}

#[test]
fn dlopen_of_the_dlopen_safe_build_succeeds_and_each_side_keeps_its_allocator() {
    let ran = dlopen_host()
        .recording()
        .arg(&dlopen_safe_library().to_string_lossy())
        .check(format!("{RECORDED}/dlopen-safe.txt"));
    assert_library_on_jemalloc_and_host_on_glibc(&ran);
}
