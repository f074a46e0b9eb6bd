//! Chapter 19: each direction the chapter states about memory over time, measured again
//! on a short run of the service workload (4 threads, 2 bursts of 8 MiB each, 1.5 s
//! idle), in fresh worker processes. The margins compare a run with itself (before and
//! after the idle period, before and after the burst) so that a loaded machine slows
//! the run down without moving the verdict.

use ch14_benchmarks::memory::{self, MemSample, Summary, by_name};

const THREADS: usize = 4;
const BURST_MIB: usize = 8;

fn run(
    setting: &str,
    env_extra: Option<(&'static str, &'static str)>,
) -> (Summary, Vec<MemSample>) {
    let mut setting =
        *by_name(setting).unwrap_or_else(|| panic!("no setting {setting}"));
    let env: Vec<(&'static str, &'static str)>;
    if let Some(extra) = env_extra {
        env = setting.env.iter().copied().chain([extra]).collect();
        setting.env = Box::leak(env.into_boxed_slice());
    }
    let args: Vec<String> =
        ["service", "4", "2", "8", "1.5", setting.after_burst.name()]
            .map(str::to_owned)
            .to_vec();
    let (samples, _) =
        memory::run_setting(&ch14_benchmarks::binaries!(), &setting, &args)
            .unwrap_or_else(|err| panic!("{err}"));
    let refs: Vec<&MemSample> = samples.iter().collect();
    let summary = memory::summarise(&refs).unwrap_or_else(|| {
        panic!(
            "expected idle readings from {}, saw {samples:?}",
            setting.name
        )
    });
    (summary, samples)
}

/// MiB the workers free at the end of a burst: their sessions, about 31/32 of what they
/// allocate.
fn freed_per_burst() -> f64 {
    (THREADS * BURST_MIB) as f64 * 0.9
}

fn glibc_arenas(threads: usize, env: &'static [(&'static str, &'static str)]) -> usize {
    let mut setting = *by_name("system-default").expect("the setting exists");
    setting.env = env;
    let args: Vec<String> = ["service", &threads.to_string(), "1", "1", "0", "nothing"]
        .map(str::to_owned)
        .to_vec();
    let (_, arenas) =
        memory::run_setting(&ch14_benchmarks::binaries!(), &setting, &args)
            .unwrap_or_else(|err| panic!("{err}"));
    arenas.expect("the System worker prints glibc's arena count")
}

#[test]
fn glibc_creates_an_arena_per_thread_and_malloc_arena_max_caps_them() {
    let one = glibc_arenas(1, &[]);
    let eight = glibc_arenas(8, &[]);
    assert!(
        eight >= one + 6,
        "expected 8 worker threads to make glibc create at least 6 more arenas than 1 does: \
         {one} arenas with 1 thread, {eight} with 8"
    );
    let capped = glibc_arenas(8, &[("MALLOC_ARENA_MAX", "2")]);
    assert!(
        capped <= 2,
        "expected MALLOC_ARENA_MAX=2 to cap glibc at 2 arenas, saw {capped} with 8 threads"
    );
}

#[test]
fn idle_jemalloc_keeps_what_the_burst_freed() {
    let (s, _) = run("jemalloc-default", None);
    assert!(
        s.idle_end >= s.idle_start - 0.1 * freed_per_burst(),
        "expected jemalloc's defaults to return almost nothing while the service idles: \
         {:.1} MiB right after the burst, {:.1} MiB at the end of the idle period",
        s.idle_start,
        s.idle_end
    );
}

#[test]
fn a_background_thread_returns_it_while_the_service_idles() {
    let (s, _) = run("jemalloc-background-1s", None);
    assert!(
        s.idle_end <= s.idle_start - 0.4 * freed_per_burst(),
        "expected background_thread:true,dirty_decay_ms:1000 to return at least {:.1} MiB \
         during 1.5 s of idle: {:.1} MiB right after the burst, {:.1} MiB at its end",
        0.4 * freed_per_burst(),
        s.idle_start,
        s.idle_end
    );
}

#[test]
fn a_purge_after_the_burst_returns_it_at_once() {
    let (default, _) = run("jemalloc-default", None);
    let (purged, _) = run("jemalloc-purge", None);
    assert!(
        purged.idle_start <= default.idle_start - 0.5 * freed_per_burst(),
        "expected arena.4096.purge to return at least {:.1} MiB before the first idle \
         reading: {:.1} MiB right after the burst with the purge, {:.1} MiB without",
        0.5 * freed_per_burst(),
        purged.idle_start,
        default.idle_start
    );
}

#[test]
fn arenas_dirty_decay_ms_reaches_only_arenas_created_later() {
    let (later, _) = run("jemalloc-arenas-decay", None);
    let (each, _) = run("jemalloc-each-arena-decay", None);
    assert!(
        later.idle_start >= each.idle_start + 0.5 * freed_per_burst(),
        "expected arenas.dirty_decay_ms=0 to leave the workers' arenas keeping their pages and \
         arena.<i>.dirty_decay_ms=0 to return them: {:.1} MiB after the last burst with the \
         first, {:.1} MiB with the second",
        later.idle_start,
        each.idle_start
    );
}
