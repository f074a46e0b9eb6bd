//! Chapter 19 shows tables and plots from `results/memory/`, written by one command
//! (`cargo bench ... -- --memory`). These tests derive them again from the committed
//! samples, check that the plots stay legible, and check each direction the chapter
//! reads in the committed run.

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
    memory::summarise(&results.of(setting)).unwrap_or_else(|| {
        panic!("expected idle readings of {setting} in the committed samples")
    })
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

#[test]
fn the_memory_tables_and_plots_derive_from_the_committed_samples() {
    let rendered = memory::render(&committed()).unwrap_or_else(|err| panic!("{err}"));
    let img = here().join("../../../src/img");
    for (dir, files) in [(results_dir(), &rendered.results), (img, &rendered.images)] {
        for (name, text) in files {
            let path = dir.join(name);
            assert!(
                read(&path) == *text,
                "expected {} to be what the committed samples render to; run `cargo bench \
                 --locked --manifest-path listings/ch14-benchmarks/01-benchmarks/Cargo.toml -- --memory \
                 --render`",
                path.display()
            );
        }
    }
}

/// Drawn 900 px wide and shown about 750 px wide, text needs 15 px in the file to read
/// as 12 px.
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
                .unwrap_or_else(|| {
                    panic!("{name}: unreadable font-size in {part:.40}")
                });
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
    let count = |setting: &str, threads: usize| arena_count(&results, setting, threads);
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

/// The chapter's sentences that carry numbers, written from the committed results. Each
/// is checked for the direction its words state, then looked up in the chapter.
fn sentences(results: &MemoryResults) -> Vec<String> {
    let s = |name: &str| summary(results, name);
    let env = |key: &str| -> usize {
        results
            .environment
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or_else(|| panic!("the environment records {key}"))
    };
    let arenas = |setting: &str, threads: usize| arena_count(results, setting, threads);
    // "returned nothing while idle": within 2 MiB.
    let kept = |x: Summary| x.idle_end >= x.idle_start - 2.0;
    let (threads, cores) = (env("threads"), env("cores"));
    let (many, capped) = (
        arenas("system-default/threads", threads),
        arenas("system-arena-max-2/threads", threads),
    );
    assert_eq!(
        many,
        threads + 1,
        "expected one arena per worker plus the main thread's"
    );
    let most = arenas("system-default/threads", 16);
    assert_eq!(
        most,
        8 * cores,
        "expected glibc to stop at 8 arenas per core"
    );
    let (sys, max2, trim, thr) = (
        s("system-default"),
        s("system-arena-max-2"),
        s("system-trim"),
        s("system-thresholds"),
    );
    assert!(
        kept(sys) && kept(max2) && max2.peak < sys.peak,
        "{sys:?} {max2:?}"
    );
    assert!(
        trim.idle_start < 0.5 * sys.idle_start && thr.idle_end < sys.idle_end,
        "expected trimming to halve System's idle start and the thresholds to lower its idle end: {sys:?} {trim:?} {thr:?}"
    );
    let (je, bg, bg1, d0, purge, n2) = (
        s("jemalloc-default"),
        s("jemalloc-background"),
        s("jemalloc-background-1s"),
        s("jemalloc-decay-0"),
        s("jemalloc-purge"),
        s("jemalloc-narenas-2"),
    );
    assert!(
        kept(je) && !kept(bg) && !kept(bg1) && kept(n2) && n2.peak < je.peak,
        "expected default and narenas:2 jemalloc to keep their pages, background threads to return them, and 2 arenas a lower peak: {je:?} {bg:?} {bg1:?} {n2:?}"
    );
    let (later, each, mi) = (
        s("jemalloc-arenas-decay"),
        s("jemalloc-each-arena-decay"),
        s("mimalloc-default"),
    );
    assert!(
        kept(mi) && mi.peak > je.peak && mi.peak > sys.peak,
        "expected mimalloc to keep its pages with a higher peak than jemalloc and System: {mi:?} {je:?} {sys:?}"
    );
    vec![
        format!(
            "With {threads} worker threads glibc had created {many} arenas, one per thread plus \
             the main thread's; with `MALLOC_ARENA_MAX=2` it had {capped}."
        ),
        format!(
            "At 16 threads it stopped at {most}: eight per core on this {cores}-core machine."
        ),
        format!(
            "With its defaults glibc peaked at {:.0} MiB and still held {:.0} MiB at the end of \
             the last idle period.",
            sys.peak, sys.idle_end
        ),
        format!(
            "`MALLOC_ARENA_MAX=2` lowered the peak to {:.0} MiB, and it too returned nothing while \
             idle.",
            max2.peak
        ),
        format!(
            "`malloc_trim(0)` after each burst brought it down to {:.0} MiB right after the last \
             burst.",
            trim.idle_start
        ),
        format!("The two thresholds left {:.0} MiB.", thr.idle_end),
        format!(
            "With its defaults jemalloc held {:.0} MiB from the end of the last burst to the end \
             of its idle period.",
            je.idle_end
        ),
        format!(
            "With `background_thread:true` alone it went from {:.0} MiB to {:.0} MiB during the \
             idle period; with a decay of one second as well, from {:.0} MiB to {:.0} MiB.",
            bg.idle_start, bg.idle_end, bg1.idle_start, bg1.idle_end
        ),
        format!(
            "A decay of 0, or a purge after each burst, left {:.0} and {:.0} MiB right after the \
             last burst.",
            d0.idle_start, purge.idle_start
        ),
        format!(
            "`narenas:2` lowered the peak to {:.0} MiB and returned nothing while idle ({:.0} MiB).",
            n2.peak, n2.idle_end
        ),
        format!(
            "After `arenas.dirty_decay_ms=0` the service still held {:.0} MiB after its last \
             burst; after `arena.<i>.dirty_decay_ms=0` for each arena, {:.0} MiB.",
            later.idle_start, each.idle_start
        ),
        format!(
            "mimalloc peaked at {:.0} MiB, the highest of the three, and held {:.0} MiB through \
             the idle period.",
            mi.peak, mi.idle_end
        ),
    ]
}

#[test]
fn the_chapter_reads_the_committed_memory_as_written() {
    let chapter = read(&here().join("../../../src/ch19-memory-over-time.md"));
    let chapter = chapter.split_whitespace().collect::<Vec<_>>().join(" ");
    for sentence in sentences(&committed()) {
        assert!(
            chapter.contains(&sentence),
            "expected src/ch19-memory-over-time.md to say, as the committed results give it:\n\
             {sentence}"
        );
    }
}

/// The number of glibc arenas the committed run counted for `setting` at `threads`
/// threads.
fn arena_count(results: &MemoryResults, setting: &str, threads: usize) -> usize {
    results
        .arenas
        .iter()
        .find(|a| a.setting == setting && a.threads == threads)
        .map(|a| a.arenas)
        .unwrap_or_else(|| panic!("no arena count for {setting} at {threads} threads"))
}
