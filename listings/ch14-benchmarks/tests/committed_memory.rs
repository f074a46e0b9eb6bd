//! Chapter 17 shows tables and plots from `results/memory/`, written by one command
//! (`cargo bench ... -- --memory`). These tests derive them again from the committed samples, check
//! that the plots stay legible, and check each direction the chapter reads in the committed run.

use std::path::{Path, PathBuf};

use ch14_benchmarks::memory::{self, MemoryResults, Summary};

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn results_dir() -> PathBuf {
    here().join("results/memory")
}

fn committed() -> MemoryResults {
    MemoryResults::read_raw(&results_dir()).unwrap_or_else(|err| panic!("{err}"))
}

fn summary(results: &MemoryResults, setting: &str) -> Summary {
    memory::summarise(&results.of(setting))
        .unwrap_or_else(|| panic!("expected idle readings of {setting} in the committed samples"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

#[test]
fn the_memory_tables_and_plots_derive_from_the_committed_samples() {
    let rendered = memory::render(&committed()).unwrap_or_else(|err| panic!("{err}"));
    let img = here().join("../../src/img");
    for (dir, files) in [(results_dir(), &rendered.results), (img, &rendered.images)] {
        for (name, text) in files {
            let path = dir.join(name);
            assert!(
                read(&path) == *text,
                "expected {} to be what the committed samples render to; run `cargo bench \
                 --locked --manifest-path listings/ch14-benchmarks/Cargo.toml -- --memory \
                 --render`",
                path.display()
            );
        }
    }
}

/// Drawn 900 px wide and shown about 750 px wide, text needs 15 px in the file to read as 12 px.
#[test]
fn the_memory_plots_are_legible_at_the_column_width() {
    let rendered = memory::render(&committed()).unwrap_or_else(|err| panic!("{err}"));
    for (name, svg) in &rendered.images {
        assert!(
            svg.contains("width=\"900\""),
            "{name}: expected a 900 px wide drawing"
        );
        let mut texts = 0;
        for part in svg.split("font-size=\"").skip(1) {
            let size: f64 = part
                .split('"')
                .next()
                .and_then(|s| s.trim_end_matches("px").parse().ok())
                .unwrap_or_else(|| panic!("{name}: unreadable font-size in {part:.40}"));
            texts += 1;
            assert!(
                size * 750.0 / 900.0 >= 12.0,
                "{name}: expected every text at 12 px or more when shown 750 px wide, saw a \
                 font-size of {size}"
            );
        }
        assert!(texts > 10, "{name}: expected labels, found {texts} texts");
    }
}

#[test]
fn the_committed_run_shows_glibc_arenas_growing_with_threads_and_capped_by_arena_max() {
    let results = committed();
    let count = |setting: &str, threads: usize| {
        results
            .arenas
            .iter()
            .find(|a| a.setting == setting && a.threads == threads)
            .map(|a| a.arenas)
            .unwrap_or_else(|| panic!("no arena count for {setting} at {threads} threads"))
    };
    let default: Vec<usize> = memory::ARENA_THREADS
        .iter()
        .map(|&t| count("system-default/threads", t))
        .collect();
    assert!(
        default.windows(2).all(|w| w[0] <= w[1]) && default[3] > default[0] + 5,
        "expected glibc's arena count to grow with the thread count, saw {default:?} for \
         {:?} threads",
        memory::ARENA_THREADS
    );
    for t in memory::ARENA_THREADS {
        let capped = count("system-arena-max-2/threads", t);
        assert!(
            capped <= 2,
            "expected at most 2 arenas with MALLOC_ARENA_MAX=2, saw {capped}"
        );
    }
}

#[test]
fn the_committed_run_shows_what_each_jemalloc_setting_returns() {
    let results = committed();
    let s = |name: &str| summary(&results, name);
    let threads: f64 = results
        .environment
        .iter()
        .find(|(k, _)| k == "threads")
        .and_then(|(_, v)| v.parse().ok())
        .expect("the environment records the thread count");
    let burst: f64 = results
        .environment
        .iter()
        .find(|(k, _)| k == "burst_mebibytes_per_thread")
        .and_then(|(_, v)| v.parse().ok())
        .expect("the environment records the burst size");
    let freed = threads * burst * 0.9;
    let default = s("jemalloc-default");
    assert!(
        default.idle_end >= default.idle_start - 0.1 * freed,
        "defaults: expected nothing returned while idle, saw {default:?}"
    );
    let background = s("jemalloc-background-1s");
    assert!(
        background.idle_end <= background.idle_start - 0.4 * freed,
        "background thread, 1 s decay: expected pages returned while idle, saw {background:?}"
    );
    let purge = s("jemalloc-purge");
    assert!(
        purge.idle_start <= default.idle_start - 0.5 * freed,
        "purge: expected pages returned at once, saw {purge:?} against {default:?}"
    );
    let later = s("jemalloc-arenas-decay");
    let each = s("jemalloc-each-arena-decay");
    assert!(
        later.idle_start >= each.idle_start + 0.5 * freed,
        "expected arenas.dirty_decay_ms to leave existing arenas as they were and \
         arena.<i>.dirty_decay_ms to change them: {later:?} against {each:?}"
    );
}
