//! An unprefixed jemalloc reads plain `MALLOC_CONF`, and ignores the prefixed build's variable.
// Linux with glibc only: the unprefixed jemalloc replaces glibc's `malloc` there.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::process::Command;

/// Runs the no-global-allocator binary with one variable set, asking jemalloc for its statistics
/// at exit, and returns whether it printed them.
fn prints_statistics_with(variable: &str) -> bool {
    let output = Command::new(env!("CARGO_BIN_EXE_ch08-no-global-allocator"))
        .arg("100")
        .env_remove("MALLOC_CONF")
        .env_remove("_RJEM_MALLOC_CONF")
        .env(variable, "stats_print:true")
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stderr).contains("___ Begin jemalloc statistics ___")
}

#[test]
fn the_unprefixed_build_reads_malloc_conf() {
    assert!(
        prints_statistics_with("MALLOC_CONF"),
        "expected MALLOC_CONF=stats_print:true to print jemalloc's statistics, saw none"
    );
}

#[test]
fn the_unprefixed_build_ignores_rjem_malloc_conf() {
    assert!(
        !prints_statistics_with("_RJEM_MALLOC_CONF"),
        "expected _RJEM_MALLOC_CONF to be ignored by the unprefixed build, but it printed statistics"
    );
}
