//! What links jemalloc's `malloc` into a binary that calls nothing of jemalloc's. These binaries
//! cannot use the probe (it calls jemalloc, which would link it), so each side is read another
//! way: glibc's `mallinfo2` in the binary, and jemalloc's own statistics, which an unprefixed
//! jemalloc prints at exit when `MALLOC_CONF` says `stats_print:true`. The batch of 64 blocks of
//! 1 MiB stays allocated until exit, so jemalloc's count includes it.
// Linux with glibc only: the takeover of C's `malloc` is measured with glibc's `mallinfo2`.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::process::Command;

use ch03_probe::symbols::{ArtifactSymbols, Presence};

const BATCH: i64 = 64 << 20;

/// What one run showed: glibc's growth for the batch, and the bytes jemalloc reported allocated
/// at exit (`None` when jemalloc printed nothing, so it was not the running allocator).
struct Run {
    glibc: i64,
    jemalloc_allocated: Option<i64>,
}

fn run(exe: &str) -> Run {
    // `stats_print_opts:gmdablxe` leaves out every section of the report but the totals.
    let output = Command::new(exe)
        .env("MALLOC_CONF", "stats_print:true,stats_print_opts:gmdablxe")
        .env_remove("_RJEM_MALLOC_CONF")
        .output()
        .unwrap_or_else(|err| panic!("cannot run {exe}: {err}"));
    assert!(output.status.success(), "{exe} failed: {output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let glibc = stdout
        .trim()
        .strip_prefix("size=1048576 glibc=")
        .and_then(|grew| grew.parse().ok())
        .unwrap_or_else(|| panic!("{exe} printed no glibc reading: {stdout}"));
    // jemalloc's exit report: `Allocated: 67266520, active: ...`.
    let jemalloc_allocated = stderr.lines().find_map(|line| {
        let rest = line.strip_prefix("Allocated: ")?;
        rest.split(',').next()?.parse().ok()
    });
    Run {
        glibc,
        jemalloc_allocated,
    }
}

/// Which linker wrote the file, from its `.comment` section (lld signs it; GNU ld does not).
fn linked_by_lld(exe: &str) -> bool {
    let readelf = book_harness::tools::require("readelf", "binutils");
    let output = Command::new(readelf)
        .args(["-p", ".comment", exe])
        .output()
        .expect("readelf runs");
    String::from_utf8_lossy(&output.stdout).contains("Linker: LLD")
}

fn malloc_in(exe: &str) -> Presence {
    ArtifactSymbols::read(exe)
        .unwrap_or_else(|err| panic!("{err}"))
        .presence("malloc")
}

fn assert_jemalloc_took_over(exe: &str) {
    let run = run(exe);
    assert!(run.glibc < 1 << 20, "glibc grew by {} B: {exe}", run.glibc);
    let allocated = run
        .jemalloc_allocated
        .unwrap_or_else(|| panic!("jemalloc printed no statistics at exit: {exe}"));
    assert!(
        allocated >= BATCH,
        "jemalloc reports {allocated} B allocated at exit, less than the batch: {exe}"
    );
    assert_eq!(malloc_in(exe), Presence::Defined, "{exe}");
}

#[test]
fn naming_the_crate_is_enough_with_rusts_default_linker() {
    let exe = env!("CARGO_BIN_EXE_ch08-names-only");
    assert!(linked_by_lld(exe), "rustc 1.95 links with lld by default");
    assert_jemalloc_took_over(exe);
}

#[test]
fn override_makes_it_enough_with_the_gnu_linker_too() {
    let exe = env!("CARGO_BIN_EXE_ch08-names-only-gnu-ld");
    assert!(
        !linked_by_lld(exe),
        "build.rs links this binary with GNU ld"
    );
    assert_jemalloc_took_over(exe);
}

#[test]
fn a_dependency_the_binary_never_names_is_not_linked() {
    let exe = env!("CARGO_BIN_EXE_ch08-unnamed");
    let run = run(exe);
    assert!(
        run.glibc >= BATCH,
        "glibc grew by {} B only, for a batch of {BATCH} B",
        run.glibc
    );
    assert_eq!(
        run.jemalloc_allocated, None,
        "jemalloc printed statistics, so it is linked"
    );
    assert_eq!(malloc_in(exe), Presence::Imported);
}
