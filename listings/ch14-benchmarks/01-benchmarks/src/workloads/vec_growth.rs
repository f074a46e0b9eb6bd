//! `Vec<u8>` growth by `push`, with `Vec::with_capacity` as the control.

use std::hint::black_box;
use std::time::Instant;

use super::Measured;

// ANCHOR: vec_growth
/// Pushes `bytes` bytes one at a time into a `Vec` that starts empty: it reallocates
/// each time it is full, doubling its capacity.
pub fn grow_by_push(bytes: usize) {
    let mut vector = Vec::new();
    for i in 0..bytes {
        vector.push(i as u8);
    }
    black_box(&vector);
}

/// The control: the same pushes into a vector allocated once at its final size.
pub fn push_with_capacity(bytes: usize) {
    let mut vector = Vec::with_capacity(bytes);
    for i in 0..bytes {
        vector.push(i as u8);
    }
    black_box(&vector);
}
// ANCHOR_END: vec_growth

fn timed(reps: u32, bytes: usize, build: fn(usize)) -> Measured {
    let start = Instant::now();
    for _ in 0..reps {
        build(bytes);
    }
    Measured {
        elapsed: start.elapsed(),
        ops: u64::from(reps),
    }
}

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;

/// Workload `vec-push-4KiB`.
pub fn push_4k(reps: u32) -> Measured {
    timed(reps, 4 * KIB, grow_by_push)
}

/// Workload `vec-capacity-4KiB`.
pub fn capacity_4k(reps: u32) -> Measured {
    timed(reps, 4 * KIB, push_with_capacity)
}

/// Workload `vec-push-1MiB`.
pub fn push_1m(reps: u32) -> Measured {
    timed(reps, MIB, grow_by_push)
}

/// Workload `vec-capacity-1MiB`.
pub fn capacity_1m(reps: u32) -> Measured {
    timed(reps, MIB, push_with_capacity)
}

/// Workload `vec-push-64MiB`.
pub fn push_64m(reps: u32) -> Measured {
    timed(reps, 64 * MIB, grow_by_push)
}

/// Workload `vec-capacity-64MiB`.
pub fn capacity_64m(reps: u32) -> Measured {
    timed(reps, 64 * MIB, push_with_capacity)
}
