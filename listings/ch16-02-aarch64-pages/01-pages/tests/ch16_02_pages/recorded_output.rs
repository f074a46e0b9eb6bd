//! The program on the machine that runs the tests: jemalloc built for x86_64 Linux uses the
//! system's 4 KiB pages.
// x86_64 Linux has 4 KiB pages, and jemalloc does not build for MSVC.
#![cfg(all(target_os = "linux", target_arch = "x86_64"))]

use crate::common;

use book_harness::recorded::Recording;

#[test]
fn on_x86_64_jemalloc_uses_4_kib_pages() {
    let ran = Recording::new(
        env!("CARGO_BIN_EXE_ch16-02-pages"),
        "cargo run -q -p ch16-02-pages",
    )
    .check("listings/ch16-02-aarch64-pages/01-pages/recorded/x86_64.txt");
    assert!(
        ran.status.success(),
        "expected the program to run, it ended with {}: {}",
        ran.status,
        ran.output
    );
    let pages = common::parse(&ran.output);
    assert_eq!(
        (pages.jemalloc_page, pages.system_page),
        (4096, 4096),
        "expected 4 KiB pages for jemalloc and the system: {pages:?}"
    );
    assert_eq!(
        pages.active,
        common::WORKLOAD_PAGES * 4096,
        "expected one 4 KiB page per size class and arena: {pages:?}"
    );
}
