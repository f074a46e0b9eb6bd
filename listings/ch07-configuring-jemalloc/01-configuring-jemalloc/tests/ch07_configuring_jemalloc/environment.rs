//! The prefixed jemalloc of tikv-jemallocator reads `_RJEM_MALLOC_CONF` and ignores `MALLOC_CONF`.
//! Each configuration runs in its own process: jemalloc reads its configuration once, at start-up.
// Linux only: the book's jemalloc settings (and their defaults) were verified there.
#![cfg(target_os = "linux")]

use std::process::Command;

use book_harness::process::run_merged;
use ch07_configuring_jemalloc::settings_of;

const EXE: &str = env!("CARGO_BIN_EXE_ch07-configuring-jemalloc");

#[test]
fn rjem_malloc_conf_sets_the_number_of_arenas() {
    let settings = settings_of(EXE, &[("_RJEM_MALLOC_CONF", "narenas:3")]);
    assert_eq!(settings["opt.narenas"], "3", "{settings:?}");
    // One more than asked: jemalloc adds an arena for huge allocations (see the next test).
    assert_eq!(settings["arenas.narenas"], "4", "{settings:?}");
}

#[test]
fn the_extra_arena_is_the_one_for_huge_allocations() {
    // `oversize_threshold:0` turns off the dedicated arena for allocations above the threshold.
    let settings = settings_of(
        EXE,
        &[("_RJEM_MALLOC_CONF", "narenas:3,oversize_threshold:0")],
    );
    assert_eq!(settings["opt.narenas"], "3", "{settings:?}");
    assert_eq!(settings["arenas.narenas"], "3", "{settings:?}");
}

#[test]
fn plain_malloc_conf_is_ignored_by_the_prefixed_build() {
    let default = settings_of(EXE, &[]);
    let plain = settings_of(EXE, &[("MALLOC_CONF", "narenas:3")]);
    assert_ne!(plain["opt.narenas"], "3", "{plain:?}");
    for name in ["opt.narenas", "arenas.narenas"] {
        assert_eq!(plain[name], default[name], "{name}");
    }
    // And silently: jemalloc prints nothing about it.
    let mut run = Command::new(EXE);
    run.env_remove("_RJEM_MALLOC_CONF")
        .env("MALLOC_CONF", "narenas:3")
        .arg("opt.narenas");
    let (_, output) = run_merged(run).expect("the binary runs");
    assert!(!output.contains("<jemalloc>"), "{output}");
}
