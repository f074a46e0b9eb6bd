//! jemalloc's background threads, which purge unused memory without waiting for the program to
//! allocate: off by default, started by `background_thread:true`, and counted by the kernel too.
// Linux only: jemalloc's background threads and the kernel's thread count were verified there.
#![cfg(target_os = "linux")]

use ch07_configuring_jemalloc::settings_of;

const EXE: &str = env!("CARGO_BIN_EXE_ch07-configuring-jemalloc");

#[test]
fn background_threads_are_off_by_default() {
    let settings = settings_of(EXE, &[]);
    assert_eq!(settings["opt.background_thread"], "false", "{settings:?}");
    assert_eq!(settings["background_thread"], "false", "{settings:?}");
    assert_eq!(settings["max_background_threads"], "4", "{settings:?}");
    assert_eq!(
        settings["stats.background_thread.num_threads"], "0",
        "{settings:?}"
    );
    assert_eq!(settings["process.threads"], "1", "{settings:?}");
}

#[test]
fn background_thread_true_starts_a_thread() {
    let settings = settings_of(EXE, &[("_RJEM_MALLOC_CONF", "background_thread:true")]);
    assert_eq!(settings["opt.background_thread"], "true", "{settings:?}");
    assert_eq!(settings["background_thread"], "true", "{settings:?}");
    let running: u32 = settings["stats.background_thread.num_threads"]
        .parse()
        .expect("a count");
    assert!(running >= 1, "{settings:?}");
    let threads: u32 = settings["process.threads"].parse().expect("a count");
    assert_eq!(
        threads,
        1 + running,
        "the kernel sees main plus jemalloc's: {settings:?}"
    );
}

#[test]
fn max_background_threads_caps_them() {
    let settings = settings_of(
        EXE,
        &[(
            "_RJEM_MALLOC_CONF",
            "background_thread:true,max_background_threads:1",
        )],
    );
    assert_eq!(settings["max_background_threads"], "1", "{settings:?}");
    assert_eq!(
        settings["stats.background_thread.num_threads"], "1",
        "{settings:?}"
    );
}
