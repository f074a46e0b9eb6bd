//! aarch64 Linux, built here with Debian's cross compiler and run under qemu-user. jemalloc 5.3
//! is built for 64 KiB pages on aarch64 Linux unless told otherwise (`--with-lg-page`, which
//! tikv-jemalloc-sys takes from `JEMALLOC_SYS_WITH_LG_PAGE`). qemu's `-p` presents another page
//! size to the program, as a kernel with 64 KiB pages would. These tests run in the second test
//! command, which installs the packages.
// Cross-builds from a glibc x86_64 host, where Debian's aarch64 cross compiler and qemu-user run.
#![cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]

use crate::common;

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};

use book_harness::recorded::{Ran, Recording};
use book_harness::separate_workspace::SeparateWorkspace;
use book_harness::{repo, rustc, tools};
use ch03_probe::Verdict;

const AARCH64: &str = "aarch64-unknown-linux-gnu";
/// Debian's C compiler for aarch64 Linux (package gcc-aarch64-linux-gnu), for jemalloc and as
/// the linker.
const GCC: &str = "aarch64-linux-gnu-gcc";
/// Where Debian's libc6-dev-arm64-cross puts the aarch64 C library; qemu looks for the dynamic
/// loader there (`QEMU_LD_PREFIX`).
const SYSROOT: &str = "/usr/aarch64-linux-gnu";
/// The target directory of the build with 4 KiB pages (under the root's target directory): a
/// jemalloc built with other `configure` options must not replace the default one.
const LG_PAGE_12_DIR: &str = "lg12";

/// A build of `listing` (a root workspace member) for aarch64 Linux.
fn cross(listing: &str) -> SeparateWorkspace {
    rustc::require_target(AARCH64);
    tools::require(GCC, "gcc-aarch64-linux-gnu");
    tools::require("qemu-aarch64", "qemu-user");
    assert!(
        Path::new(SYSROOT).join("lib/libc.so.6").is_file(),
        "{SYSROOT}/lib/libc.so.6 is missing; this test needs the aarch64 C library. Install it \
         with `sudo apt-get install libc6-dev-arm64-cross` (Debian/Ubuntu; `.ci/run` does this)."
    );
    SeparateWorkspace::root_member(listing)
        .env("CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER", GCC)
        .env(format!("CC_{}", AARCH64.replace('-', "_")), GCC)
}

/// Builds `listing` and returns the path of its binary `bin`.
fn build(workspace: SeparateWorkspace, bin: &str) -> PathBuf {
    let dir = workspace.target_dir();
    workspace
        .cargo(&["build", "--target", AARCH64])
        .assert_success();
    dir.join(AARCH64).join("debug").join(bin)
}

/// The page listing with jemalloc's default page size for aarch64 Linux.
fn pages_default() -> PathBuf {
    build(
        cross("listings/ch16-02-aarch64-pages/01-pages"),
        "ch16-02-pages",
    )
}

/// The page listing with jemalloc built for 4 KiB pages.
fn pages_4_kib() -> PathBuf {
    build(
        cross("listings/ch16-02-aarch64-pages/01-pages")
            .env("JEMALLOC_SYS_WITH_LG_PAGE", "12")
            .in_target_dir(repo::target_dir().join(LG_PAGE_12_DIR)),
        "ch16-02-pages",
    )
}

/// Runs `program` under qemu-aarch64, shown as `qemu-aarch64 <qemu_args> <shown_path>`.
fn under_qemu(program: &Path, qemu_args: &[&str], shown_path: &str) -> Recording {
    let qemu = tools::require("qemu-aarch64", "qemu-user");
    let shown = ["qemu-aarch64"]
        .iter()
        .chain(qemu_args)
        .chain([&shown_path])
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let mut recording = Recording::new(qemu, &shown).hidden_env("QEMU_LD_PREFIX", SYSROOT);
    for arg in qemu_args {
        recording = recording.hidden_arg(arg);
    }
    recording.hidden_arg(program)
}

const DEFAULT_SHOWN: &str = "target/aarch64-unknown-linux-gnu/debug/ch16-02-pages";
const LG_PAGE_12_SHOWN: &str = "target/lg12/aarch64-unknown-linux-gnu/debug/ch16-02-pages";

fn assert_ran(ran: &Ran) -> common::Pages {
    assert!(
        ran.status.success(),
        "expected the program to run: {}",
        ran.output
    );
    common::parse(&ran.output)
}

#[test]
#[ignore = "needs qemu-aarch64 (Debian package qemu-user), aarch64-linux-gnu-gcc (gcc-aarch64-linux-gnu) and libc6-dev-arm64-cross: the second test command runs it"]
fn chapter_5_binary_runs_on_aarch64_with_jemalloc() {
    let program = build(
        cross("listings/ch05-switching-to-jemalloc/01-jemalloc"),
        "ch05-jemalloc",
    );
    let ran = under_qemu(
        &program,
        &[],
        "target/aarch64-unknown-linux-gnu/debug/ch05-jemalloc",
    )
    .arg("100")
    .arg("1048576")
    .check("listings/ch16-02-aarch64-pages/01-pages/recorded/aarch64-ch05.txt");
    assert!(
        ran.status.success(),
        "expected the program to run, it ended with {}: {}",
        ran.status,
        ran.output
    );
    ch03_probe::run::assert_every_verdict(&ran.output, 2, Verdict::Jemalloc);
}

#[test]
#[ignore = "needs qemu-aarch64 (Debian package qemu-user), aarch64-linux-gnu-gcc (gcc-aarch64-linux-gnu) and libc6-dev-arm64-cross: the second test command runs it"]
fn default_aarch64_build_has_64_kib_pages() {
    let program = pages_default();
    let pages = assert_ran(
        &under_qemu(&program, &[], DEFAULT_SHOWN)
            .check("listings/ch16-02-aarch64-pages/01-pages/recorded/aarch64-default.txt"),
    );
    assert_eq!(
        (pages.jemalloc_page, pages.system_page),
        (65536, 4096),
        "expected jemalloc built for 64 KiB pages, under qemu's default 4 KiB: {pages:?}"
    );
    // As on a kernel with 64 KiB pages.
    let pages = assert_ran(
        &under_qemu(&program, &["-p", "65536"], DEFAULT_SHOWN)
            .check("listings/ch16-02-aarch64-pages/01-pages/recorded/aarch64-default-p-65536.txt"),
    );
    assert_eq!(
        (pages.jemalloc_page, pages.system_page),
        (65536, 65536),
        "expected `qemu-aarch64 -p 65536` to present 64 KiB pages: {pages:?}"
    );
}

#[test]
#[ignore = "needs qemu-aarch64 (Debian package qemu-user), aarch64-linux-gnu-gcc (gcc-aarch64-linux-gnu) and libc6-dev-arm64-cross: the second test command runs it"]
fn aarch64_build_for_4_kib_pages_fails_on_64_kib_pages() {
    let program = pages_4_kib();
    let pages = assert_ran(
        &under_qemu(&program, &[], LG_PAGE_12_SHOWN)
            .check("listings/ch16-02-aarch64-pages/01-pages/recorded/aarch64-lg-page-12.txt"),
    );
    assert_eq!(
        (pages.jemalloc_page, pages.system_page),
        (4096, 4096),
        "expected JEMALLOC_SYS_WITH_LG_PAGE=12 to build jemalloc for 4 KiB pages: {pages:?}"
    );
    let ran = under_qemu(&program, &["-p", "65536"], LG_PAGE_12_SHOWN)
        .hidden_env("RUST_BACKTRACE", "0")
        .check("listings/ch16-02-aarch64-pages/01-pages/recorded/aarch64-lg-page-12-p-65536.txt");
    // jemalloc refuses to start, and says so; it does not abort. Every call fails: here the
    // first one, `mallctl`, and `main` returns that error.
    assert!(
        ran.status.code() == Some(1)
            && ran
                .output
                .contains("<jemalloc>: Unsupported system page size"),
        "expected jemalloc built for 4 KiB pages to refuse 64 KiB pages and the program to \
         return an error, got {}: {}",
        ran.status,
        ran.output
    );
    // A program whose first call to jemalloc is an allocation gets a null pointer, which Rust
    // turns into an abort.
    let program = build(
        cross("listings/ch05-switching-to-jemalloc/01-jemalloc")
            .env("JEMALLOC_SYS_WITH_LG_PAGE", "12")
            .in_target_dir(repo::target_dir().join(LG_PAGE_12_DIR)),
        "ch05-jemalloc",
    );
    let ran = under_qemu(
        &program,
        &["-p", "65536"],
        "target/lg12/aarch64-unknown-linux-gnu/debug/ch05-jemalloc",
    )
    .arg("100")
    .hidden_env("RUST_BACKTRACE", "0")
    .check("listings/ch16-02-aarch64-pages/01-pages/recorded/aarch64-lg-page-12-ch05-p-65536.txt");
    assert!(
        ran.status.signal() == Some(libc::SIGABRT)
            && ran
                .output
                .contains("<jemalloc>: Unsupported system page size")
            && ran.output.contains("memory allocation of"),
        "expected the first allocation to fail and Rust to abort, got {}: {}",
        ran.status,
        ran.output
    );
}

#[test]
#[ignore = "needs qemu-aarch64 (Debian package qemu-user), aarch64-linux-gnu-gcc (gcc-aarch64-linux-gnu) and libc6-dev-arm64-cross: the second test command runs it"]
fn small_allocations_hold_16_times_more_memory_with_64_kib_pages() {
    let big = assert_ran(&under_qemu(&pages_default(), &["-p", "65536"], DEFAULT_SHOWN).run());
    let small = assert_ran(&under_qemu(&pages_4_kib(), &[], LG_PAGE_12_SHOWN).run());
    assert_eq!(
        (small.active, big.active),
        (
            common::WORKLOAD_PAGES * 4096,
            common::WORKLOAD_PAGES * 65536
        ),
        "expected one page per size class and arena: 64 pages of 4 KiB against 64 of 64 KiB"
    );
}
