//! A Rust host that loads the cdylib with `libc::dlopen`: the same failure with the default
//! build, the same success with the dlopen-safe one. The host's global allocator is System.
// Linux with glibc only: the failure and its fix are glibc's static TLS block and `dlopen`.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use crate::common;

use book_harness::recorded::Recording;
use common::{
    RECORDED, assert_library_on_jemalloc_and_host_on_glibc, assert_no_room_in_static_tls,
    default_library, dlopen_safe_library,
};

fn rust_host() -> Recording {
    Recording::cargo_run(
        "ch11-cdylib-in-a-c-host",
        "rust-host",
        env!("CARGO_BIN_EXE_rust-host"),
    )
}

#[test]
fn a_rust_host_cannot_dlopen_the_default_build_either() {
    let ran = rust_host()
        .arg(&default_library().path.to_string_lossy())
        .run();
    assert_no_room_in_static_tls(&ran);
}

#[test]
fn a_rust_host_dlopens_the_dlopen_safe_build_and_keeps_system() {
    let ran = rust_host()
        .arg(&dlopen_safe_library().to_string_lossy())
        .check(format!("{RECORDED}/rust-host.txt"));
    assert_library_on_jemalloc_and_host_on_glibc(&ran);
}
