//! Chapter 19's runner: the service workload ([`crate::workloads::service`]) once per
//! setting, each in a fresh worker process, one after another (so that no run's memory
//! squeezes another's); then glibc's arena count against the thread count.

use std::path::PathBuf;

use super::raw::{ArenaCount, MemSample, MemoryResults, RAW_FILES};
use super::render::{render, write_rendered};
use super::settings::{ARENA_THREADS, MemoryConfig, SETTINGS, Setting, by_name};
use crate::environment;
use crate::line::fields;
use crate::progress::Progress;
use crate::workers::{Binaries, run_worker_with};

/// Runs `setting`'s worker with `args` and returns its `mem` readings and its arena
/// count (glibc only).
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
pub fn measure(
    config: &MemoryConfig,
    bins: &Binaries,
) -> Result<MemoryResults, String> {
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
            let args: Vec<String> =
                ["service", &threads.to_string(), "1", "1", "0", "nothing"]
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

/// Measures, writes the raw results, then the tables and plots; returns the paths
/// written.
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
