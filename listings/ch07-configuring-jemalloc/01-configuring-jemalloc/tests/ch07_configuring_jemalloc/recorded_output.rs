//! The runs chapter 7 shows, regenerated and compared (`BLESS=1` rewrites them). They name every
//! setting they print, so that none differs between machines (the default `narenas` depends on the
//! number of CPUs).
// Linux only: the recordings were made there.
#![cfg(target_os = "linux")]

use book_harness::recorded::Recording;

const LISTING: &str = "listings/ch07-configuring-jemalloc/01-configuring-jemalloc";
const PACKAGE: &str = "ch07-configuring-jemalloc";

fn settings(bin: &str, exe: &str, conf: Option<&str>, names: &[&str]) -> Recording {
    let mut run = Recording::cargo_run(PACKAGE, bin, exe);
    if let Some(conf) = conf {
        run = run.env("_RJEM_MALLOC_CONF", conf);
    }
    names.iter().fold(run, |run, name| run.arg(name))
}

#[test]
fn narenas_output_matches_the_recording() {
    settings(
        PACKAGE,
        env!("CARGO_BIN_EXE_ch07-configuring-jemalloc"),
        Some("narenas:3"),
        &["opt.narenas", "arenas.narenas"],
    )
    .check(format!("{LISTING}/recorded/narenas.txt"));
}

#[test]
fn background_threads_output_matches_the_recording() {
    settings(
        PACKAGE,
        env!("CARGO_BIN_EXE_ch07-configuring-jemalloc"),
        Some("background_thread:true,max_background_threads:1"),
        &[
            "opt.background_thread",
            "background_thread",
            "max_background_threads",
            "stats.background_thread.num_threads",
            "process.threads",
        ],
    )
    .check(format!("{LISTING}/recorded/background-threads.txt"));
}

#[test]
fn baked_conf_output_matches_the_recording() {
    settings(
        "baked-conf",
        env!("CARGO_BIN_EXE_baked-conf"),
        None,
        &["opt.narenas", "opt.dirty_decay_ms"],
    )
    .check(format!("{LISTING}/recorded/baked-conf.txt"));
}
