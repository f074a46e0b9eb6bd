//! Chapter 19's settings: each allocator configuration the service workload runs under,
//! and how much a run does.

use std::path::{Path, PathBuf};

use crate::Allocator;
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

/// jemalloc reads its options from this variable: tikv-jemallocator prefixes its
/// symbols.
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
    /// The committed run: 8 threads, 3 cycles of 24 MiB per thread and 4 s idle. About
    /// 3 minutes.
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

    /// `--quick`: 4 threads, 2 cycles of 8 MiB, 1 s idle; under a minute. Writes under
    /// `dir`.
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
