//! Chapter 19's tables and plots, derived from the raw results alone, and writing them.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::raw::{MemSample, MemoryResults};
use super::settings::{ARENA_THREADS, MemoryConfig, SETTINGS};
use crate::csv::write;
use crate::markdown::{md_code, md_text};
use crate::plots::lines_svg;

/// What the tables say about one setting's run, in MiB.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// The highest reading.
    pub peak: f64,
    /// The first and last idle readings of the last cycle: right after the burst (and
    /// the setting's action), and at the end of the idle period.
    pub idle_start: f64,
    pub idle_end: f64,
}

const MIB: f64 = (1 << 20) as f64;

/// [`Summary`] of `setting`'s readings.
pub fn summarise(samples: &[&MemSample]) -> Option<Summary> {
    let last_cycle = samples.iter().map(|s| s.cycle).max()?;
    let idle: Vec<f64> = samples
        .iter()
        .filter(|s| s.cycle == last_cycle && s.phase == "idle")
        .map(|s| s.bytes as f64 / MIB)
        .collect();
    Some(Summary {
        peak: samples.iter().map(|s| s.bytes).max()? as f64 / MIB,
        idle_start: *idle.first()?,
        idle_end: *idle.last()?,
    })
}

/// The plots: one per group of settings.
pub const PLOTS: [(&str, &str, &[&str]); 3] = [
    (
        "ch17-memory-glibc.svg",
        "System (glibc): resident memory through bursts and idle periods",
        &[
            "system-default",
            "system-arena-max-2",
            "system-trim",
            "system-thresholds",
            "mimalloc-default",
        ],
    ),
    (
        "ch17-memory-jemalloc.svg",
        "jemalloc: resident memory through bursts and idle periods",
        &[
            "jemalloc-default",
            "jemalloc-decay-0",
            "jemalloc-background",
            "jemalloc-background-1s",
            "jemalloc-purge",
            "jemalloc-narenas-2",
        ],
    ),
    (
        "ch17-memory-jemalloc-runtime.svg",
        "jemalloc: decay set to 0 at run time, after the first burst",
        &[
            "jemalloc-default",
            "jemalloc-arenas-decay",
            "jemalloc-each-arena-decay",
        ],
    ),
];

/// Tables and plots derived from the raw results: `(file name, text)` for
/// `results/memory/` and for `src/img/`.
pub struct MemoryRendered {
    pub results: Vec<(&'static str, String)>,
    pub images: Vec<(&'static str, String)>,
}

pub fn render(results: &MemoryResults) -> Result<MemoryRendered, String> {
    let mut table = String::from(
        "| setting | what | peak MiB | right after the last burst MiB | \
         end of its idle MiB | glibc arenas |\n|---|---|--:|--:|--:|--:|\n",
    );
    for setting in SETTINGS {
        let samples = results.of(setting.name);
        let summary = summarise(&samples).ok_or_else(|| {
            format!("no idle readings for {} in the results", setting.name)
        })?;
        let arenas = results
            .arenas
            .iter()
            .find(|a| a.setting == setting.name)
            .map_or(String::new(), |a| a.arenas.to_string());
        let _ = writeln!(
            table,
            "| {} | {} | {:.0} | {:.0} | {:.0} | {arenas} |",
            md_code(setting.name),
            md_text(setting.what),
            summary.peak,
            summary.idle_start,
            summary.idle_end,
        );
    }
    let mut arenas = String::from(
        "| worker threads | glibc arenas, defaults | glibc arenas, MALLOC\\_ARENA\\_MAX=2 |\n\
         |--:|--:|--:|\n",
    );
    for threads in ARENA_THREADS {
        let count = |name: &str| {
            results
                .arenas
                .iter()
                .find(|a| {
                    a.threads == threads && a.setting == format!("{name}/threads")
                })
                .map_or("?".to_owned(), |a| a.arenas.to_string())
        };
        let _ = writeln!(
            arenas,
            "| {threads} | {} | {} |",
            count("system-default"),
            count("system-arena-max-2")
        );
    }
    let mut environment = String::new();
    for (key, value) in &results.environment {
        let _ = writeln!(environment, "- {}: {}", md_code(key), md_code(value));
    }
    let mut images = Vec::new();
    for (file, title, names) in PLOTS {
        let series: Vec<(&str, Vec<(f64, f64)>)> = names
            .iter()
            .map(|name| {
                let points = results
                    .of(name)
                    .iter()
                    .map(|s| (s.t_ms as f64 / 1000.0, s.bytes as f64 / MIB))
                    .collect();
                (*name, points)
            })
            .collect();
        images.push((file, lines_svg(title, &series)?));
    }
    Ok(MemoryRendered {
        results: vec![
            ("memory.md", table),
            ("arenas.md", arenas),
            ("environment.md", environment),
        ],
        images,
    })
}

/// Writes what [`render`] derived where `config` says.
pub fn write_rendered(
    rendered: &MemoryRendered,
    config: &MemoryConfig,
) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (dir, files) in [
        (&config.results_dir, &rendered.results),
        (&config.img_dir, &rendered.images),
    ] {
        for (name, text) in files {
            let path = dir.join(name);
            write(&path, text)?;
            written.push(path);
        }
    }
    Ok(written)
}
