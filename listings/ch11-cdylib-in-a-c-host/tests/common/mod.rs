//! What the C-host tests share: the two builds of the library, the C hosts, and how to read the
//! hosts' output. Each test file uses a part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use book_harness::c::{CProgram, RustLibrary};
use book_harness::separate_workspace::SeparateWorkspace;
use ch03_probe::Reading;

pub const RECORDED: &str = "listings/ch11-cdylib-in-a-c-host/recorded";
const PROBE_C_API: &str = "listings/ch11-02-probe-c-api";

/// This listing's cdylib, with the workspace's jemalloc: initial-exec TLS.
pub fn default_library() -> &'static RustLibrary {
    static LIBRARY: OnceLock<RustLibrary> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        RustLibrary::build("ch11-cdylib-in-a-c-host", "libch11_cdylib_in_a_c_host.so")
    })
}

/// The same source built by the separate workspace `ch11-03-dlopen-safe-cdylib`, whose jemalloc
/// has `disable_initial_exec_tls`.
pub fn dlopen_safe_library() -> &'static PathBuf {
    static LIBRARY: OnceLock<PathBuf> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let workspace = SeparateWorkspace::at("listings/ch11-03-dlopen-safe-cdylib");
        workspace.cargo(&["build", "--lib"]).assert_success();
        workspace
            .target_dir()
            .join("debug")
            .join("libch11_03_dlopen_safe_cdylib.so")
    })
}

/// The C host that links the default library at build time.
pub fn linked_host() -> &'static CProgram {
    static HOST: OnceLock<CProgram> = OnceLock::new();
    HOST.get_or_init(|| {
        let host = CProgram::new("ch11-linked-host")
            .include_dir(format!("{PROBE_C_API}/include"))
            .source(format!("{PROBE_C_API}/c/linked_host.c"))
            .source(format!("{PROBE_C_API}/c/report.c"))
            .link_library(default_library().dir(), "ch11_cdylib_in_a_c_host");
        host.compile();
        host
    })
}

/// The C host that loads a library named on its command line with `dlopen`.
pub fn dlopen_host() -> &'static CProgram {
    static HOST: OnceLock<CProgram> = OnceLock::new();
    HOST.get_or_init(|| {
        let host = CProgram::new("ch11-dlopen-host")
            .include_dir(format!("{PROBE_C_API}/include"))
            .source(format!("{PROBE_C_API}/c/dlopen_host.c"))
            .source(format!("{PROBE_C_API}/c/report.c"));
        host.compile();
        host
    })
}

/// The readings a host printed, split into the library's Rust allocations and the host's own:
/// `report.c` prints them in turn, one pair per size (100 B, then 1 MiB).
pub fn library_and_host(output: &str) -> (Vec<Reading>, Vec<Reading>) {
    let readings = ch03_probe::reading::parse_all(output)
        .unwrap_or_else(|err| panic!("a bad reading: {err}\n{output}"));
    assert_eq!(readings.len(), 4, "two sizes, two readings each:\n{output}");
    let sizes: Vec<u64> = readings.iter().map(|r| r.size).collect();
    assert_eq!(sizes, [100, 100, 1 << 20, 1 << 20], "{output}");
    let (library, host): (Vec<_>, Vec<_>) = readings
        .into_iter()
        .enumerate()
        .partition(|(i, _)| i % 2 == 0);
    (
        library.into_iter().map(|(_, r)| r).collect(),
        host.into_iter().map(|(_, r)| r).collect(),
    )
}
