//! The settings in this chapter configure the allocator that serves the program only because
//! jemalloc is its global allocator. jemalloc answers `mallctl` with its configuration even in a
//! program it does not serve, so the binaries' allocator is checked on its own.
// Linux with glibc only: reads glibc's counters (`mallinfo2`) to show that they do not move.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use ch07_configuring_jemalloc::settings_of;

#[test]
fn both_binaries_run_on_jemalloc() {
    for exe in [
        env!("CARGO_BIN_EXE_ch07-configuring-jemalloc"),
        env!("CARGO_BIN_EXE_baked-conf"),
    ] {
        let settings = settings_of(exe, &[]);
        assert_eq!(settings["probe.verdict"], "Jemalloc", "{exe}: {settings:?}");
    }
}
