//! What the futex mode counts: the jobs, the allocators, and how many rounds.

use crate::Allocator;

/// The jobs counted, with their worker arguments: the hand-over in batches of 64
/// (`producer-consumer-2t`) and `thread-local-2t`, 2,000,000 blocks each.
pub const JOBS: [(&str, &[&str]); 2] = [
    ("producer-consumer-2t", &["handover", "64", "20"]),
    ("thread-local-2t", &["run", "thread-local-2t", "20"]),
];

/// The allocators compared.
pub const ALLOCATORS: [Allocator; 2] = [Allocator::System, Allocator::Jemalloc];

/// Rounds per run, the first dropped as a warm-up.
pub const ROUNDS: usize = 6;
