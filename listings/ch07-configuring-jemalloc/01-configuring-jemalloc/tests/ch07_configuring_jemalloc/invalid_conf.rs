//! What jemalloc does with a configuration it cannot use: it says so on stderr and goes on, unless
//! `abort_conf:true` asks it to abort. The runs are recorded (`BLESS=1` rewrites them).
// Linux only: it asserts the death by SIGABRT (a Unix signal) and compares recordings made there.
#![cfg(target_os = "linux")]

use std::os::unix::process::ExitStatusExt;

use book_harness::recorded::Recording;
use ch07_configuring_jemalloc::settings_of;

const LISTING: &str = "listings/ch07-configuring-jemalloc/01-configuring-jemalloc";

fn run(conf: &str) -> Recording {
    Recording::cargo_run(
        "ch07-configuring-jemalloc",
        "ch07-configuring-jemalloc",
        env!("CARGO_BIN_EXE_ch07-configuring-jemalloc"),
    )
    .env("_RJEM_MALLOC_CONF", conf)
    .arg("opt.narenas")
}

#[test]
fn an_unknown_option_is_reported_and_the_others_still_apply() {
    let ran =
        run("narenas:3,no_such_option:1").check(format!("{LISTING}/recorded/invalid-pair.txt"));
    assert!(ran.status.success(), "{:?}", ran.status);
    assert!(
        ran.output
            .contains("<jemalloc>: Invalid conf pair: no_such_option:1"),
        "expected jemalloc to report the unknown option, saw:\n{}",
        ran.output
    );
    assert!(
        ran.output.contains("opt.narenas=3"),
        "expected narenas:3 to apply despite the unknown option, saw:\n{}",
        ran.output
    );
}

#[test]
fn an_invalid_value_is_reported_and_the_default_kept() {
    let ran = run("narenas:lots").run();
    assert!(ran.status.success(), "{:?}", ran.status);
    assert!(
        ran.output
            .contains("<jemalloc>: Invalid conf value: narenas:lots"),
        "expected jemalloc to report the invalid value, saw:\n{}",
        ran.output
    );
    let default = settings_of(env!("CARGO_BIN_EXE_ch07-configuring-jemalloc"), &[]);
    let kept = format!("opt.narenas={}", default["opt.narenas"]);
    assert!(ran.output.contains(&kept), "{}", ran.output);
}

#[test]
fn abort_conf_turns_the_message_into_an_abort() {
    let ran =
        run("abort_conf:true,no_such_option:1").check(format!("{LISTING}/recorded/abort-conf.txt"));
    assert_eq!(ran.status.signal(), Some(libc::SIGABRT), "{:?}", ran.status);
    assert!(
        ran.output
            .contains("<jemalloc>: Abort (abort_conf:true) on invalid conf value"),
        "expected jemalloc to say it aborts on the invalid conf, saw:\n{}",
        ran.output
    );
    assert!(
        !ran.output.contains("opt.narenas="),
        "main never ran: {}",
        ran.output
    );
}
