//! A configuration compiled into the binary through the `_rjem_malloc_conf` symbol.
// Linux only: it reads the ELF symbol `_rjem_malloc_conf` with `readelf`.
#![cfg(target_os = "linux")]

use ch07_configuring_jemalloc::settings_of;

const BAKED: &str = env!("CARGO_BIN_EXE_baked-conf");

#[test]
fn the_malloc_conf_symbol_configures_jemalloc() {
    let baked = settings_of(BAKED, &[]);
    assert_eq!(baked["opt.narenas"], "5", "{baked:?}");
    assert_eq!(baked["opt.dirty_decay_ms"], "5000", "{baked:?}");
    // The symbol belongs to one binary: the other binary of the package keeps the defaults.
    let plain = settings_of(env!("CARGO_BIN_EXE_ch07-configuring-jemalloc"), &[]);
    assert_eq!(plain["opt.dirty_decay_ms"], "10000", "{plain:?}");
}

#[test]
fn nothing_is_compiled_in_with_configure_in_this_workspace() {
    // tikv-jemalloc-sys passes `--with-malloc-conf` only for its `background_threads` feature or
    // when `JEMALLOC_SYS_WITH_MALLOC_CONF` is set at build time; this workspace does neither.
    let output = std::process::Command::new(BAKED)
        .arg("config.malloc_conf")
        .output()
        .expect("the listing's binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{BAKED} failed: {output:?}");
    assert_eq!(
        stdout, "config.malloc_conf=\n",
        "expected no compiled-in configuration"
    );
}

#[test]
fn the_environment_overrides_the_symbol_option_by_option() {
    let settings = settings_of(BAKED, &[("_RJEM_MALLOC_CONF", "narenas:3")]);
    assert_eq!(settings["opt.narenas"], "3", "{settings:?}");
    assert_eq!(settings["opt.dirty_decay_ms"], "5000", "{settings:?}");
}

/// The binding of `_rjem_malloc_conf` in `exe`'s symbol table, as `readelf -s` prints it.
fn malloc_conf_binding(exe: &str) -> String {
    let readelf = book_harness::tools::require("readelf", "binutils");
    let output = std::process::Command::new(readelf)
        .args(["-s", "--wide", exe])
        .output()
        .expect("readelf runs");
    let table = String::from_utf8_lossy(&output.stdout);
    let line = table
        .lines()
        .find(|line| line.ends_with(" _rjem_malloc_conf"))
        .unwrap_or_else(|| panic!("{exe} has no _rjem_malloc_conf"));
    line.split_whitespace()
        .nth(4)
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn the_binarys_symbol_replaces_jemallocs_weak_default() {
    // jemalloc defines the symbol weak, pointing nowhere; a strong definition wins at link time.
    let plain = malloc_conf_binding(env!("CARGO_BIN_EXE_ch07-configuring-jemalloc"));
    assert_eq!(plain, "WEAK");
    assert_eq!(malloc_conf_binding(BAKED), "GLOBAL");
}
