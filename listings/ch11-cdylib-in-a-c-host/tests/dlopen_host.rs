//! A C host that loads the cdylib with `dlopen`: with the workspace's jemalloc (initial-exec TLS)
//! the load fails, unless glibc is told to keep more static TLS spare.
// Linux with glibc only: the failure is glibc's static TLS block, and the fix a glibc tunable.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

mod common;

use ch03_probe::tls::ThreadLocalStorage;
use common::{
    RECORDED, assert_library_on_jemalloc_and_host_on_glibc, assert_no_room_in_static_tls,
    default_library, dlopen_host,
};

fn library_tls() -> ThreadLocalStorage {
    ThreadLocalStorage::read(&default_library().path).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn the_default_build_is_flagged_static_tls() {
    let tls = library_tls();
    assert!(tls.static_tls, "{tls:?}");
    assert!(tls.block_size > 0, "{tls:?}");
}

#[test]
fn dlopen_of_the_default_build_fails_for_lack_of_static_tls() {
    let host = dlopen_host();
    host.check_command(format!("{RECORDED}/build-dlopen-host.txt"));
    let ran = host
        .recording()
        .arg(&default_library().path.to_string_lossy())
        .check(format!("{RECORDED}/dlopen-default.txt"));
    assert_no_room_in_static_tls(&ran);
}

#[test]
fn more_optional_static_tls_lets_dlopen_succeed() {
    // glibc keeps `optional_static_tls` bytes spare for libraries loaded later (512 by default).
    // Room for the library's whole TLS block is enough.
    let tunable = format!(
        "glibc.rtld.optional_static_tls={}",
        library_tls().block_size
    );
    let ran = dlopen_host()
        .recording()
        .env("GLIBC_TUNABLES", &tunable)
        .arg(&default_library().path.to_string_lossy())
        .check(format!("{RECORDED}/dlopen-tunable.txt"));
    assert_library_on_jemalloc_and_host_on_glibc(&ran);
}
