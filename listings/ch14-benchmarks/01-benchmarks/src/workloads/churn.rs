//! Single-thread object churn: a map of mixed-size objects built and dropped.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use super::{Measured, SMALL};
use crate::rng::mixed_sizes;

/// Nodes per map.
const NODES: usize = 10_000;

// ANCHOR: churn
/// Builds a `BTreeMap` of `sizes.len()` entries whose values are boxed byte slices of
/// the given sizes, keys in scattered order, then drops it. Every value is one
/// allocation; the map's own nodes are more.
pub fn build_and_drop_map(sizes: &[usize]) {
    let mut map = BTreeMap::new();
    for (i, &size) in sizes.iter().enumerate() {
        let key = (i as u32).wrapping_mul(2_654_435_761);
        map.insert(key, vec![i as u8; size].into_boxed_slice());
    }
    black_box(&map);
}
// ANCHOR_END: churn

/// Workload `object-churn`: `reps` maps of 10,000 values of 16 B-1 KiB; one operation
/// is one node.
pub fn object_churn(reps: u32) -> Measured {
    let sizes = mixed_sizes(21, NODES, SMALL.0, SMALL.1);
    let start = Instant::now();
    for _ in 0..reps {
        build_and_drop_map(&sizes);
    }
    Measured {
        elapsed: start.elapsed(),
        ops: (NODES * reps as usize) as u64,
    }
}
