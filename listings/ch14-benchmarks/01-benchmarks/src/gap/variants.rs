//! What the gap mode varies: the allocator and glibc's settings, and the jobs.

use crate::Allocator;

/// An allocator with the environment it runs in.
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    pub name: &'static str,
    pub allocator: Allocator,
    pub env: &'static [(&'static str, &'static str)],
}

// ANCHOR: variants
/// What the documented explanation says matters: the per-thread cache's
/// size, and the number of arenas. jemalloc is the reference.
pub const VARIANTS: [Variant; 4] = [
    Variant {
        name: "system",
        allocator: Allocator::System,
        env: &[],
    },
    Variant {
        name: "system-tcache-1000",
        allocator: Allocator::System,
        env: &[("GLIBC_TUNABLES", "glibc.malloc.tcache_count=1000")],
    },
    Variant {
        name: "system-arena-max-1",
        allocator: Allocator::System,
        env: &[("MALLOC_ARENA_MAX", "1")],
    },
    Variant {
        name: "jemalloc",
        allocator: Allocator::Jemalloc,
        env: &[],
    },
];

/// The jobs: blocks handed over 1, 64 (`producer-consumer-2t`) or 1,024 per
/// message, and `thread-local-2t`, whose blocks never cross threads. Each
/// with its worker arguments.
pub const JOBS: [(&str, &[&str]); 4] = [
    ("handover-1", &["handover", "1", "2"]),
    ("producer-consumer-2t", &["handover", "64", "20"]),
    ("handover-1024", &["handover", "1024", "20"]),
    ("thread-local-2t", &["run", "thread-local-2t", "20"]),
];
// ANCHOR_END: variants

/// Rounds per run, the first dropped as a warm-up.
pub const ROUNDS: usize = 21;
