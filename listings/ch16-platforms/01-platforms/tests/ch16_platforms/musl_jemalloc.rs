//! jemalloc on musl: chapter 5's listing built for `x86_64-unknown-linux-musl`. tikv-jemalloc-sys
//! compiles jemalloc with a C compiler for musl; Debian's `musl-tools` provides `musl-gcc`, which
//! the `cc` crate finds on its own. It runs in the second test command, which installs it.
// Cross-builds from a glibc x86_64 host to x86_64 musl, whose C compiler (musl-gcc) runs there.
#![cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]

use std::path::PathBuf;

use book_harness::recorded::Recording;
use book_harness::separate_workspace::SeparateWorkspace;
use book_harness::{repo, rustc, tools};
use ch03_probe::Verdict;
use ch03_probe::symbols::{ArtifactSymbols, Presence};

const MUSL: &str = "x86_64-unknown-linux-musl";

/// Builds chapter 5's binary for musl and returns its path.
fn musl_build() -> PathBuf {
    rustc::require_target(MUSL);
    tools::require("musl-gcc", "musl-tools");
    SeparateWorkspace::root_member("listings/ch05-switching-to-jemalloc/01-jemalloc")
        .cargo(&["build", "--target", MUSL])
        .assert_success();
    repo::target_dir().join(MUSL).join("debug/ch05-jemalloc")
}

#[test]
#[ignore = "needs musl-gcc (Debian package musl-tools): the second test command runs it"]
fn jemalloc_builds_for_musl_and_serves_the_binary() {
    let program = musl_build();
    let symbols = ArtifactSymbols::read(&program).unwrap_or_else(|err| panic!("{err}"));
    // Statically linked: musl's malloc and the prefixed jemalloc are both inside the file.
    assert_eq!(
        symbols.presence("malloc"),
        Presence::Defined,
        "musl's malloc"
    );
    assert_eq!(
        symbols.presence("_rjem_malloc"),
        Presence::Defined,
        "jemalloc's prefixed malloc"
    );
    let ran = Recording::new(
        &program,
        "cargo run -q -p ch05-jemalloc --target x86_64-unknown-linux-musl",
    )
    .arg("100")
    .arg("1048576")
    .check("listings/ch16-platforms/01-platforms/recorded/musl-jemalloc.txt");
    assert!(ran.status.success(), "{}", ran.output);
    for reading in ch03_probe::run::assert_every_verdict(&ran.output, 2, Verdict::Jemalloc) {
        // glibc's counters do not exist in a musl program: the probe cannot read them.
        assert_eq!(reading.glibc, None, "no mallinfo2 on musl: {reading}");
    }
}
