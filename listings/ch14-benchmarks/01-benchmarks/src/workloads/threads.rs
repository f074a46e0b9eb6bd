//! Workloads on several threads: a producer whose blocks another thread frees, and
//! threads that each free only their own blocks.

use std::hint::black_box;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use super::{Measured, SMALL};
use crate::rng::mixed_sizes;

/// Blocks handed over per message, and blocks per repetition.
const BATCH: usize = 64;
const BLOCKS: usize = 100_000;

fn block(size: usize) -> Box<[u8]> {
    vec![size as u8; size].into_boxed_slice()
}

/// [`handed_over_in`] batches of 64.
pub fn handed_over(sizes: &[usize], blocks: usize) {
    handed_over_in(sizes, blocks, BATCH);
}

// ANCHOR: producer_consumer
/// One thread allocates `blocks` blocks of mixed sizes and sends them in
/// batches of `batch_size` (64 in `producer-consumer-2t`) over a bounded
/// channel; a second thread receives and frees them. Every block is freed by
/// a thread that did not allocate it.
pub fn handed_over_in(sizes: &[usize], blocks: usize, batch_size: usize) {
    let (sender, receiver) = sync_channel::<Vec<Box<[u8]>>>(8);
    std::thread::scope(|scope| {
        let consumer = scope.spawn(move || {
            for batch in receiver {
                drop(black_box(batch));
            }
        });
        let mut sent = 0;
        while sent < blocks {
            let batch: Vec<Box<[u8]>> = (sent..(sent + batch_size).min(blocks))
                .map(|i| block(sizes[i % sizes.len()]))
                .collect();
            sent += batch.len();
            sender
                .send(batch)
                .expect("the consumer runs until the channel closes");
        }
        drop(sender);
        join(consumer);
    });
}
// ANCHOR_END: producer_consumer

// ANCHOR: thread_local
/// `threads` threads share `blocks` blocks between them; each allocates 64 blocks of
/// mixed sizes, frees them, and starts again. No block crosses threads.
pub fn each_thread_its_own(sizes: &[usize], threads: usize, blocks: usize) {
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut live = Vec::with_capacity(BATCH);
                    let mut i = t;
                    for _ in 0..blocks / threads / BATCH {
                        for _ in 0..BATCH {
                            live.push(block(sizes[i % sizes.len()]));
                            i += 1;
                        }
                        black_box(&live);
                        live.clear();
                    }
                })
            })
            .collect();
        workers.into_iter().for_each(join);
    });
}
// ANCHOR_END: thread_local

/// Joins a thread explicitly. A scope only waits for its threads' closures to return;
/// joining also waits for each thread to exit, and glibc flushes the exiting thread's
/// cache of freed blocks only then. Without it, that flush can land after the timed
/// part, in the middle of the worker's evidence reading.
fn join(thread: std::thread::ScopedJoinHandle<'_, ()>) {
    thread
        .join()
        .expect("a workload thread panicked; its message is above");
}

fn timed(blocks: usize, run: impl FnOnce()) -> Measured {
    let start = Instant::now();
    run();
    Measured {
        elapsed: start.elapsed(),
        ops: blocks as u64,
    }
}

fn sizes() -> Vec<usize> {
    mixed_sizes(33, 4096, SMALL.0, SMALL.1)
}

/// Workload `producer-consumer-2t`: `reps` x 100,000 blocks handed from one thread to
/// another.
pub fn producer_consumer(reps: u32) -> Measured {
    let (sizes, blocks) = (sizes(), BLOCKS * reps as usize);
    timed(blocks, || handed_over(&sizes, blocks))
}

/// `producer-consumer-2t` with `batch` blocks per message instead of 64.
pub fn producer_consumer_batch(batch: usize, reps: u32) -> Measured {
    let (sizes, blocks) = (sizes(), BLOCKS * reps as usize);
    timed(blocks, || handed_over_in(&sizes, blocks, batch.max(1)))
}

fn thread_local(threads: usize, reps: u32) -> Measured {
    let sizes = sizes();
    // Whole batches on every thread, so the count of blocks timed is exact.
    let blocks = (BLOCKS * reps as usize).div_ceil(threads * BATCH) * threads * BATCH;
    timed(blocks, || each_thread_its_own(&sizes, threads, blocks))
}

/// Workload `thread-local-2t`: `reps` x 100,000 blocks on 2 threads.
pub fn thread_local_2(reps: u32) -> Measured {
    thread_local(2, reps)
}

/// Workload `thread-local-8t`: `reps` x 100,000 blocks on 8 threads.
pub fn thread_local_8(reps: u32) -> Measured {
    thread_local(8, reps)
}
