//! The workloads, each a named function that times itself and returns what it did.
//!
//! A worker binary runs one workload under its own global allocator and prints the time
//! per operation; [`WORKLOADS`] lists them in report order with the number of
//! repetitions a full run uses. Start-up time is the exception: the runner times whole
//! processes of the minimal programs.

use std::time::Duration;

pub mod churn;
pub mod large_blocks;
pub mod pairs;
pub mod rss;
pub mod service;
pub mod threads;
pub mod vec_growth;

/// What one call of a workload did: how long it took and how many operations it timed.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub elapsed: Duration,
    pub ops: u64,
}

impl Measured {
    /// Nanoseconds per operation.
    pub fn ns_per_op(&self) -> f64 {
        self.elapsed.as_nanos() as f64 / self.ops.max(1) as f64
    }
}

/// How a workload is run.
#[derive(Debug, Clone, Copy)]
pub enum Runner {
    /// Inside a worker process: the function gets the number of repetitions.
    InWorker(fn(u32) -> Measured),
    /// By the runner, which times fresh processes of the minimal programs.
    Startup,
}

/// One timed workload.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    /// The name in files, tables and command lines.
    pub name: &'static str,
    /// One line for the tables.
    pub what: &'static str,
    /// What one operation is ("pair", "block", ...).
    pub op: &'static str,
    /// Repetitions per sample in a full run (chosen for 50-200 ms per sample on this
    /// machine kind).
    pub full_reps: u32,
    pub runner: Runner,
}

/// Mixed block sizes of the small-object workloads: 16 B to 1 KiB.
pub const SMALL: (usize, usize) = (16, 1024);

/// Every workload, in report order.
pub const WORKLOADS: &[Workload] = &[
    Workload {
        name: "harness-overhead",
        what: "the pair loop with an allocator that does nothing (control)",
        op: "pair",
        full_reps: 100,
        runner: Runner::InWorker(pairs::harness_overhead),
    },
    Workload {
        name: "pairs-16B-1KiB",
        what: "single thread: allocate and free at once, 16 B-1 KiB",
        op: "pair",
        full_reps: 100,
        runner: Runner::InWorker(pairs::global_pairs),
    },
    Workload {
        name: "object-churn",
        what: "single thread: build and drop a BTreeMap of 16 B-1 KiB boxed values",
        op: "node",
        full_reps: 40,
        runner: Runner::InWorker(churn::object_churn),
    },
    Workload {
        name: "producer-consumer-2t",
        what: "2 threads: one allocates 16 B-1 KiB blocks, the other frees them",
        op: "block",
        full_reps: 20,
        runner: Runner::InWorker(threads::producer_consumer),
    },
    Workload {
        name: "thread-local-2t",
        what: "2 threads each allocate and free their own 16 B-1 KiB blocks",
        op: "block",
        full_reps: 20,
        runner: Runner::InWorker(threads::thread_local_2),
    },
    Workload {
        name: "thread-local-8t",
        what: "8 threads each allocate and free their own 16 B-1 KiB blocks",
        op: "block",
        full_reps: 20,
        runner: Runner::InWorker(threads::thread_local_8),
    },
    Workload {
        name: "vec-push-4KiB",
        what: "Vec<u8> grown by push to 4 KiB",
        op: "vector",
        full_reps: 20_000,
        runner: Runner::InWorker(vec_growth::push_4k),
    },
    Workload {
        name: "vec-capacity-4KiB",
        what: "control: the same pushes into Vec::with_capacity(4 KiB)",
        op: "vector",
        full_reps: 20_000,
        runner: Runner::InWorker(vec_growth::capacity_4k),
    },
    Workload {
        name: "vec-push-1MiB",
        what: "Vec<u8> grown by push to 1 MiB",
        op: "vector",
        full_reps: 80,
        runner: Runner::InWorker(vec_growth::push_1m),
    },
    Workload {
        name: "vec-capacity-1MiB",
        what: "control: the same pushes into Vec::with_capacity(1 MiB)",
        op: "vector",
        full_reps: 80,
        runner: Runner::InWorker(vec_growth::capacity_1m),
    },
    Workload {
        name: "vec-push-64MiB",
        what: "Vec<u8> grown by push to 64 MiB",
        op: "vector",
        full_reps: 2,
        runner: Runner::InWorker(vec_growth::push_64m),
    },
    Workload {
        name: "vec-capacity-64MiB",
        what: "control: the same pushes into Vec::with_capacity(64 MiB)",
        op: "vector",
        full_reps: 2,
        runner: Runner::InWorker(vec_growth::capacity_64m),
    },
    Workload {
        name: "large-untouched",
        what: "allocate and free blocks of 64 KiB-8 MiB, never written",
        op: "block",
        full_reps: 2_000,
        runner: Runner::InWorker(large_blocks::untouched),
    },
    Workload {
        name: "large-touched",
        what: "allocate blocks of 64 KiB-8 MiB, write every page, free",
        op: "block",
        full_reps: 20,
        runner: Runner::InWorker(large_blocks::touched),
    },
    Workload {
        name: "startup",
        what: "run a minimal program to its exit, fresh process",
        op: "process",
        full_reps: 20,
        runner: Runner::Startup,
    },
];

/// The workload called `name`.
pub fn by_name(name: &str) -> Option<&'static Workload> {
    WORKLOADS.iter().find(|w| w.name == name)
}
