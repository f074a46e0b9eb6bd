//! Chapter 19's runner: the service workload ([`crate::workloads::service`]) once per setting,
//! each in a fresh worker process, one after another (so that no run's memory squeezes another's);
//! then glibc's arena count against the thread count. Writes `results/memory/` and the plots.
//!
//! `cargo bench --locked --manifest-path listings/ch14-benchmarks/01-benchmarks/Cargo.toml -- --memory`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::Allocator;
use crate::environment;
use crate::progress::Progress;
use crate::report::{md_code, md_text, quote, rows, write};
use crate::suite::{Binaries, run_worker_with};
use crate::worker::fields;
use crate::workloads::service::AfterBurst;

/// One configuration of one allocator.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub name: &'static str,
    pub allocator: Allocator,
    pub env: &'static [(&'static str, &'static str)],
    pub after_burst: AfterBurst,
    pub what: &'static str,
}

const fn setting(
    name: &'static str,
    allocator: Allocator,
    env: &'static [(&'static str, &'static str)],
    after_burst: AfterBurst,
    what: &'static str,
) -> Setting {
    Setting {
        name,
        allocator,
        env,
        after_burst,
        what,
    }
}

/// jemalloc reads its options from this variable: tikv-jemallocator prefixes its symbols.
pub const JEMALLOC_CONF: &str = "_RJEM_MALLOC_CONF";

// ANCHOR: settings
/// Every setting, in report order.
pub const SETTINGS: &[Setting] = &[
    setting(
        "system-default",
        Allocator::System,
        &[],
        AfterBurst::Nothing,
        "glibc's defaults",
    ),
    setting(
        "system-arena-max-2",
        Allocator::System,
        &[("MALLOC_ARENA_MAX", "2")],
        AfterBurst::Nothing,
        "MALLOC_ARENA_MAX=2",
    ),
    setting(
        "system-trim",
        Allocator::System,
        &[],
        AfterBurst::Trim,
        "malloc_trim(0) after each burst",
    ),
    setting(
        "system-thresholds",
        Allocator::System,
        &[(
            "GLIBC_TUNABLES",
            "glibc.malloc.trim_threshold=131072:glibc.malloc.mmap_threshold=8192",
        )],
        AfterBurst::Nothing,
        "trim threshold 128 KiB, mmap threshold 8 KiB",
    ),
    setting(
        "jemalloc-default",
        Allocator::Jemalloc,
        &[],
        AfterBurst::Nothing,
        "jemalloc's defaults",
    ),
    setting(
        "jemalloc-decay-0",
        Allocator::Jemalloc,
        &[(JEMALLOC_CONF, "dirty_decay_ms:0,muzzy_decay_ms:0")],
        AfterBurst::Nothing,
        "dirty_decay_ms:0,muzzy_decay_ms:0",
    ),
    setting(
        "jemalloc-background",
        Allocator::Jemalloc,
        &[(JEMALLOC_CONF, "background_thread:true")],
        AfterBurst::Nothing,
        "background_thread:true",
    ),
    setting(
        "jemalloc-background-1s",
        Allocator::Jemalloc,
        &[(JEMALLOC_CONF, "background_thread:true,dirty_decay_ms:1000")],
        AfterBurst::Nothing,
        "background_thread:true,dirty_decay_ms:1000",
    ),
    setting(
        "jemalloc-purge",
        Allocator::Jemalloc,
        &[],
        AfterBurst::Purge,
        "arena.4096.purge after each burst",
    ),
    setting(
        "jemalloc-narenas-2",
        Allocator::Jemalloc,
        &[(JEMALLOC_CONF, "narenas:2")],
        AfterBurst::Nothing,
        "narenas:2",
    ),
    setting(
        "jemalloc-arenas-decay",
        Allocator::Jemalloc,
        &[],
        AfterBurst::SetArenasDecay,
        "arenas.dirty_decay_ms=0 after the first burst",
    ),
    setting(
        "jemalloc-each-arena-decay",
        Allocator::Jemalloc,
        &[],
        AfterBurst::SetEachArenaDecay,
        "arena.<i>.dirty_decay_ms=0 for each arena after the first burst",
    ),
    setting(
        "mimalloc-default",
        Allocator::Mimalloc,
        &[],
        AfterBurst::Nothing,
        "mimalloc's defaults",
    ),
];
// ANCHOR_END: settings

/// The setting called `name`.
pub fn by_name(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name)
}

/// The thread counts at which glibc's arenas are counted.
pub const ARENA_THREADS: [usize; 5] = [1, 2, 4, 8, 16];

/// How much to run.
#[derive(Debug, Clone)]
pub struct MemoryConfig {
    pub mode: &'static str,
    pub threads: usize,
    pub cycles: usize,
    pub burst_mebibytes: usize,
    pub idle_seconds: f64,
    pub results_dir: PathBuf,
    pub img_dir: PathBuf,
}

impl MemoryConfig {
    /// The committed run: 8 threads, 3 cycles of 24 MiB per thread and 4 s idle. About 3 minutes.
    pub fn full(results_dir: PathBuf, img_dir: PathBuf) -> MemoryConfig {
        MemoryConfig {
            mode: "full",
            threads: 8,
            cycles: 3,
            burst_mebibytes: 24,
            idle_seconds: 4.0,
            results_dir,
            img_dir,
        }
    }

    /// `--quick`: 4 threads, 2 cycles of 8 MiB, 1 s idle; under a minute. Writes under `dir`.
    pub fn quick(dir: &Path) -> MemoryConfig {
        MemoryConfig {
            mode: "quick",
            threads: 4,
            cycles: 2,
            burst_mebibytes: 8,
            idle_seconds: 1.0,
            results_dir: dir.join("results/memory"),
            img_dir: dir.join("img"),
        }
    }

    /// The worker's command line for `setting`'s run.
    pub fn args(&self, setting: &Setting) -> Vec<String> {
        vec![
            "service".to_owned(),
            self.threads.to_string(),
            self.cycles.to_string(),
            self.burst_mebibytes.to_string(),
            self.idle_seconds.to_string(),
            setting.after_burst.name().to_owned(),
        ]
    }
}

/// One reading of one setting's run.
#[derive(Debug, Clone, PartialEq)]
pub struct MemSample {
    pub setting: String,
    pub t_ms: u64,
    pub cycle: usize,
    pub phase: String,
    pub bytes: u64,
}

/// glibc's arena count after a run with `threads` workers.
#[derive(Debug, Clone, PartialEq)]
pub struct ArenaCount {
    pub threads: usize,
    pub setting: String,
    pub arenas: usize,
}

/// The raw results of one run.
#[derive(Debug, Clone)]
pub struct MemoryResults {
    pub environment: environment::Record,
    pub samples: Vec<MemSample>,
    pub arenas: Vec<ArenaCount>,
}

/// The raw files, in `results/memory/`.
pub const RAW_FILES: [&str; 3] = ["environment.csv", "samples.csv", "arenas.csv"];

/// Runs `setting`'s worker with `args` and returns its `mem` readings and its arena count (glibc
/// only).
pub fn run_setting(
    bins: &Binaries,
    setting: &Setting,
    args: &[String],
) -> Result<(Vec<MemSample>, Option<usize>), String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stdout = run_worker_with(
        &bins.workers[&setting.allocator],
        &args,
        setting.env,
        setting.allocator,
    )?;
    let mut samples = Vec::new();
    let mut arenas = None;
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("mem ") {
            let f = fields(rest);
            let number = |key: &str| -> Result<u64, String> {
                f.get(key)
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| format!("mem line without {key}: {line}"))
            };
            samples.push(MemSample {
                setting: setting.name.to_owned(),
                t_ms: number("t_ms")?,
                cycle: number("cycle")? as usize,
                phase: f.get("phase").copied().unwrap_or("?").to_owned(),
                bytes: number("bytes")?,
            });
        } else if let Some(rest) = line.strip_prefix("arenas ") {
            arenas = fields(rest).get("count").and_then(|v| v.parse().ok());
        }
    }
    if samples.is_empty() && arenas.is_none() {
        return Err(format!("{} printed no readings:\n{stdout}", setting.name));
    }
    Ok((samples, arenas))
}

/// Runs every setting, then the arena counts.
pub fn measure(config: &MemoryConfig, bins: &Binaries) -> Result<MemoryResults, String> {
    let mut environment = environment::record();
    environment.push((
        "load_average_before".to_owned(),
        environment::load_average(),
    ));
    let mut progress = Progress::new(SETTINGS.len() + 2 * ARENA_THREADS.len());
    let mut samples = Vec::new();
    let mut arenas = Vec::new();
    for setting in SETTINGS {
        progress.step(setting.name);
        let (mut readings, count) = run_setting(bins, setting, &config.args(setting))?;
        samples.append(&mut readings);
        if let Some(count) = count {
            arenas.push(ArenaCount {
                threads: config.threads,
                setting: setting.name.to_owned(),
                arenas: count,
            });
        }
    }
    for name in ["system-default", "system-arena-max-2"] {
        let setting = by_name(name).expect("the arena settings exist");
        for threads in ARENA_THREADS {
            progress.step(&format!("glibc arenas, {name}, {threads} threads"));
            let args: Vec<String> = ["service", &threads.to_string(), "1", "1", "0", "nothing"]
                .map(str::to_owned)
                .to_vec();
            let (_, count) = run_setting(bins, setting, &args)?;
            arenas.push(ArenaCount {
                threads,
                setting: format!("{name}/threads"),
                arenas: count.ok_or("the System worker printed no arena count")?,
            });
        }
    }
    progress.finish();
    environment.push(("load_average_after".to_owned(), environment::load_average()));
    for (key, value) in [
        ("mode", config.mode.to_owned()),
        ("threads", config.threads.to_string()),
        ("cycles", config.cycles.to_string()),
        (
            "burst_mebibytes_per_thread",
            config.burst_mebibytes.to_string(),
        ),
        ("idle_seconds", config.idle_seconds.to_string()),
    ] {
        environment.push((key.to_owned(), value));
    }
    Ok(MemoryResults {
        environment,
        samples,
        arenas,
    })
}

impl MemoryResults {
    pub fn write_raw(&self, dir: &Path) -> Result<(), String> {
        let mut environment = String::from("key,value\n");
        for (key, value) in &self.environment {
            let _ = writeln!(environment, "{key},{}", quote(value));
        }
        let mut samples = String::from("setting,t_ms,cycle,phase,bytes\n");
        for s in &self.samples {
            let _ = writeln!(
                samples,
                "{},{},{},{},{}",
                s.setting, s.t_ms, s.cycle, s.phase, s.bytes
            );
        }
        let mut arenas = String::from("threads,setting,arenas\n");
        for a in &self.arenas {
            let _ = writeln!(arenas, "{},{},{}", a.threads, a.setting, a.arenas);
        }
        for (file, text) in RAW_FILES.iter().zip([environment, samples, arenas]) {
            write(&dir.join(file), &text)?;
        }
        Ok(())
    }

    pub fn read_raw(dir: &Path) -> Result<MemoryResults, String> {
        let parse = |v: &str, file: &str| -> Result<u64, String> {
            v.parse()
                .map_err(|_| format!("{file}: cannot read {v:?} as a number"))
        };
        let environment = rows(dir, "environment.csv")?
            .into_iter()
            .map(|r| (r[0].clone(), r.get(1).cloned().unwrap_or_default()))
            .collect();
        let samples = rows(dir, "samples.csv")?
            .into_iter()
            .map(|r| {
                if r.len() != 5 {
                    return Err(format!("samples.csv: expected 5 fields, saw {r:?}"));
                }
                Ok(MemSample {
                    setting: r[0].clone(),
                    t_ms: parse(&r[1], "samples.csv")?,
                    cycle: parse(&r[2], "samples.csv")? as usize,
                    phase: r[3].clone(),
                    bytes: parse(&r[4], "samples.csv")?,
                })
            })
            .collect::<Result<_, String>>()?;
        let arenas = rows(dir, "arenas.csv")?
            .into_iter()
            .map(|r| {
                if r.len() != 3 {
                    return Err(format!("arenas.csv: expected 3 fields, saw {r:?}"));
                }
                Ok(ArenaCount {
                    threads: parse(&r[0], "arenas.csv")? as usize,
                    setting: r[1].clone(),
                    arenas: parse(&r[2], "arenas.csv")? as usize,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(MemoryResults {
            environment,
            samples,
            arenas,
        })
    }

    /// The readings of `setting`, in time order.
    pub fn of(&self, setting: &str) -> Vec<&MemSample> {
        self.samples
            .iter()
            .filter(|s| s.setting == setting)
            .collect()
    }
}

/// What the tables say about one setting's run, in MiB.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// The highest reading.
    pub peak: f64,
    /// The first and last idle readings of the last cycle: right after the burst (and the
    /// setting's action), and at the end of the idle period.
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

/// Tables and plots derived from the raw results: `(file name, text)` for `results/memory/`
/// and for `src/img/`.
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
        let summary = summarise(&samples)
            .ok_or_else(|| format!("no idle readings for {} in the results", setting.name))?;
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
                .find(|a| a.threads == threads && a.setting == format!("{name}/threads"))
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
        images.push((file, crate::plots::lines_svg(title, &series)?));
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

/// Measures, writes the raw results, then the tables and plots; returns the paths written.
pub fn run(config: &MemoryConfig, bins: &Binaries) -> Result<Vec<PathBuf>, String> {
    let results = measure(config, bins)?;
    results.write_raw(&config.results_dir)?;
    let mut written: Vec<PathBuf> = RAW_FILES
        .iter()
        .map(|f| config.results_dir.join(f))
        .collect();
    written.extend(write_rendered(&render(&results)?, config)?);
    Ok(written)
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
