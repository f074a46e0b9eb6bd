//! A C host that loads the cdylib with `dlopen`: with the workspace's jemalloc (initial-exec TLS)
//! the load fails, unless glibc is told to keep more static TLS spare.
// Linux with glibc only: the failure is glibc's static TLS block, and the fix a glibc tunable.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use crate::common;

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
    // Room for the library's whole TLS block in the optional part alone is more than enough; the
    // next test finds how much is really needed.
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

/// Static TLS that glibc 2.36 keeps spare after start-up for `dlopen` (`elf/dl-tls.c`,
/// `_dl_tls_static_surplus_init`): 192 bytes for libc's own initial-exec TLS in each extra
/// namespace, 144 bytes for other system libraries in each namespace, and `optional_static_tls`.
fn spare_static_tls(nns: usize, optional_static_tls: usize) -> usize {
    192 * (nns - 1) + 144 * nns + optional_static_tls
}

/// Loads the default library with these tunables and says whether `dlopen` succeeded. A failure
/// must be the static TLS one, with the host's exit code 1.
fn loads_with(nns: usize, optional_static_tls: usize) -> bool {
    let ran = dlopen_host()
        .recording()
        .env(
            "GLIBC_TUNABLES",
            &format!("glibc.rtld.nns={nns}:glibc.rtld.optional_static_tls={optional_static_tls}"),
        )
        .arg(&default_library().path.to_string_lossy())
        .run();
    if ran.status.success() {
        assert_library_on_jemalloc_and_host_on_glibc(&ran);
        true
    } else {
        assert_no_room_in_static_tls(&ran);
        false
    }
}

#[test]
fn the_spare_static_tls_is_the_sum_the_glibc_source_gives() {
    let block = library_tls().block_size as usize;
    // With glibc's default of 4 namespaces, 1152 bytes are kept for system libraries, so the
    // optional part needs only the rest of the block (the layout's alignment may add a few bytes).
    let just_enough = block - spare_static_tls(4, 0);
    let cases = [
        (4, just_enough, true),
        (4, just_enough - 64, false),
        // The default optional part, 512 bytes, with more namespaces: 3008 bytes spare.
        (8, 512, true),
        // One namespace keeps only 144 bytes for system libraries: the same optional part is short.
        (1, just_enough, false),
    ];
    for (nns, optional, expected) in cases {
        let spare = spare_static_tls(nns, optional);
        assert_eq!(
            loads_with(nns, optional),
            expected,
            "nns={nns} optional_static_tls={optional}: {spare} bytes spare by the formula for a \
             {block}-byte TLS block; expected the load to {}",
            if expected { "succeed" } else { "fail" }
        );
    }
}
