//! What the C-host tests share: the two builds of the library, the C hosts, and the checks of
//! their output. Each test file uses a part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use book_harness::c::{CProgram, RustLibrary};
use book_harness::recorded::Ran;
use book_harness::separate_workspace::SeparateWorkspace;
use ch03_probe::Verdict;
use probe_c_api::report::Report;

pub const RECORDED: &str = "listings/ch11-cdylib-in-a-c-host/01-cdylib-in-a-c-host/recorded";
const PROBE_C_API: &str = "crates/probe-c-api";

/// This listing's cdylib, with the workspace's jemalloc: initial-exec TLS.
pub fn default_library() -> &'static RustLibrary {
    static LIBRARY: OnceLock<RustLibrary> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        RustLibrary::build("ch11-cdylib-in-a-c-host", "libch11_cdylib_in_a_c_host.so")
    })
}

/// The same source built by the separate workspace `ch11-dlopen-safe-cdylib`, whose jemalloc
/// has `disable_initial_exec_tls`.
pub fn dlopen_safe_library() -> &'static PathBuf {
    static LIBRARY: OnceLock<PathBuf> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let workspace =
            SeparateWorkspace::at("listings/ch11-cdylib-in-a-c-host/02-dlopen-safe-cdylib");
        workspace.cargo(&["build", "--lib"]).assert_success();
        workspace
            .target_dir()
            .join("debug")
            .join("libch11_dlopen_safe_cdylib.so")
    })
}

/// A C host built from `c/<source>.c` of the probe's C interface and `c/report.c`.
fn host(name: &str, source: &str) -> CProgram {
    CProgram::new(name)
        .include_dir(format!("{PROBE_C_API}/include"))
        .source(format!("{PROBE_C_API}/c/{source}.c"))
        .source(format!("{PROBE_C_API}/c/report.c"))
}

/// The C host that links the default library at build time.
pub fn linked_host() -> &'static CProgram {
    static HOST: OnceLock<CProgram> = OnceLock::new();
    HOST.get_or_init(|| {
        let host = host("ch11-linked-host", "linked_host")
            .link_library(default_library().dir(), "ch11_cdylib_in_a_c_host");
        host.compile();
        host
    })
}

/// The C host that loads a library named on its command line with `dlopen`.
pub fn dlopen_host() -> &'static CProgram {
    static HOST: OnceLock<CProgram> = OnceLock::new();
    HOST.get_or_init(|| {
        let host = host("ch11-dlopen-host", "dlopen_host");
        host.compile();
        host
    })
}

/// Asserts that a host printed the library's readings on jemalloc and its own on glibc, for the
/// hosts' two sizes, 100 B and 1 MiB.
pub fn assert_library_on_jemalloc_and_host_on_glibc(ran: &Ran) {
    assert!(ran.status.success(), "{}", ran.output);
    Report::parse(&ran.output, &[100, 1 << 20])
        .assert_served_by(Verdict::Jemalloc, Verdict::System);
}

/// Asserts that `dlopen` failed for lack of static TLS, and the host said so and exited with 1.
pub fn assert_no_room_in_static_tls(ran: &Ran) {
    assert_eq!(ran.status.code(), Some(1), "{}", ran.output);
    assert!(
        ran.output
            .contains("cannot allocate memory in static TLS block"),
        "{}",
        ran.output
    );
}
