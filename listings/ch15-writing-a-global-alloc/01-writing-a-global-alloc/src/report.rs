//! What the counting binaries print: one line per known allocation, with what the counter saw on
//! the allocating thread and in total, in columns under a header, and the parser the tests read
//! those lines back with.

use std::alloc::GlobalAlloc;
use std::hint::black_box;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::counting::{Counts, ThreadCounting};

/// One measured line: what ran, what its thread counted, what the whole process counted.
///
/// ```
/// use ch15_writing_a_global_alloc::{Counts, report::Line};
///
/// let row = format!("{:44}  {:>7} {:>9}  {:>7} {:>9}", "Box::new(7u32)", 1, 4, 1, 4);
/// let line = Line::parse(&row).expect("a measured line");
/// assert_eq!(line.case, "Box::new(7u32)");
/// assert_eq!(line.thread, Counts { allocations: 1, bytes: 4 });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub case: String,
    pub thread: Counts,
    pub total: Counts,
}

/// The width of the column that names what ran.
const CASE: usize = 44;

impl Line {
    /// Parses a line [`print`] wrote: the case in its column, then four numbers (allocations
    /// and bytes on the thread, then in total). The header and other lines give `None`.
    ///
    /// ```
    /// use ch15_writing_a_global_alloc::report::Line;
    ///
    /// let row = format!("{:44}  {:>7} {:>9}  {:>7} {:>9}", "Box::new(7u32)", 1, 4, 1, 4);
    /// let line = Line::parse(&row).expect("a row of the table");
    /// assert_eq!((line.case.as_str(), line.thread.bytes, line.total.allocations), ("Box::new(7u32)", 4, 1));
    /// assert_eq!(Line::parse("what ran   allocs   bytes   allocs   bytes"), None);
    /// ```
    pub fn parse(line: &str) -> Option<Line> {
        let (case, numbers) = (line.get(..CASE)?, line.get(CASE..)?);
        let numbers: Vec<u64> = numbers
            .split_whitespace()
            .map(|n| n.parse().ok())
            .collect::<Option<_>>()?;
        let [thread_allocations, thread_bytes, allocations, bytes] = numbers[..] else {
            return None;
        };
        let counts = |allocations, bytes| Counts { allocations, bytes };
        Some(Line {
            case: case.trim().to_owned(),
            thread: counts(thread_allocations, thread_bytes),
            total: counts(allocations, bytes),
        })
    }
}

/// Every line of `output` that [`Line::parse`] accepts.
///
/// ```
/// let row = format!("{:44}  {:>7} {:>9}  {:>7} {:>9}", "Box::new(())", 0, 0, 0, 0);
/// let output = format!("{:44}  {:>17}  {:>17}\n{row}\n", "", "on the thread", "in total");
/// let lines = ch15_writing_a_global_alloc::report::parse_all(&output);
/// assert_eq!(lines.len(), 1, "the header is not a line");
/// ```
pub fn parse_all(output: &str) -> Vec<Line> {
    output.lines().filter_map(Line::parse).collect()
}

/// Prints one line, under a header that the first line brings.
fn print(case: &str, thread: Counts, total: Counts) {
    static HEADER: std::sync::Once = std::sync::Once::new();
    HEADER.call_once(|| {
        println!("{:CASE$}  {:>17}  {:>17}", "", "on the thread", "in total");
        println!(
            "{:CASE$}  {:>7} {:>9}  {:>7} {:>9}",
            "what ran", "allocs", "bytes", "allocs", "bytes"
        );
    });
    println!("{}", row(case, thread, total));
}

fn row(case: &str, thread: Counts, total: Counts) -> String {
    format!(
        "{case:CASE$}  {:>7} {:>9}  {:>7} {:>9}",
        thread.allocations, thread.bytes, total.allocations, total.bytes
    )
}

/// Runs `work` on the calling thread and prints what `global` counted meanwhile. The counts are
/// read before printing, because printing may allocate.
fn measure<A>(global: &ThreadCounting<A>, case: &str, work: impl FnOnce()) {
    let (thread, total) = (global.this_thread(), global.total());
    work();
    let (thread, total) = (
        global.this_thread().since(thread),
        global.total().since(total),
    );
    print(case, thread, total);
}

/// Allocations whose size Rust's collections document or make obvious, each measured alone.
///
/// ```rust,standalone_crate
/// use std::alloc::System;
/// use ch15_writing_a_global_alloc::{ThreadCounting, report::known_allocations};
///
/// #[global_allocator]
/// static GLOBAL: ThreadCounting<System> = ThreadCounting::new(System);
///
/// fn main() {
///     let before = GLOBAL.this_thread();
///     known_allocations(&GLOBAL);
///     let counted = GLOBAL.this_thread().since(before);
///     assert!(counted.allocations >= 7, "six cases, one of them reallocates: {counted}");
/// }
/// ```
// ANCHOR: known
pub fn known_allocations<A: GlobalAlloc>(global: &ThreadCounting<A>) {
    measure(global, "Box::new(7u32)", || drop(black_box(Box::new(7u32))));
    measure(global, "Box::new(())", || drop(black_box(Box::new(()))));
    measure(global, "vec![0u8; 100]", || drop(black_box(vec![0u8; 100])));
    measure(global, "String::from(\"hello\")", || {
        drop(black_box(String::from("hello")))
    });
    measure(global, "Vec::<u64>::with_capacity(10)", || {
        drop(black_box(Vec::<u64>::with_capacity(10)))
    });
    measure(global, "with_capacity(100) then reserve_exact(300)", || {
        let mut bytes = Vec::<u8>::with_capacity(100);
        bytes.reserve_exact(300);
        drop(black_box(bytes));
    });
}
// ANCHOR_END: known

/// Steps of the hand-over between the main thread and the worker. A spin on an atomic, because
/// `Barrier` or a channel could allocate and would blur the counts.
const STARTED: u8 = 1;
const GO: u8 = 2;
const DONE: u8 = 3;

fn wait_for(step: &AtomicU8, value: u8) {
    while step.load(Ordering::Acquire) != value {
        std::thread::yield_now();
    }
}

/// Allocates on a worker thread while the main thread watches: the worker's counts show its
/// allocations, the main thread's show none, and the total shows the worker's.
///
/// ```rust,standalone_crate
/// use std::alloc::System;
/// use ch15_writing_a_global_alloc::{ThreadCounting, report::worker_allocations};
///
/// #[global_allocator]
/// static GLOBAL: ThreadCounting<System> = ThreadCounting::new(System);
///
/// fn main() {
///     let before = GLOBAL.total();
///     worker_allocations(&GLOBAL);
///     let counted = GLOBAL.total().since(before);
///     assert!(counted.bytes >= 1000 + 32, "the worker's two blocks at least: {counted}");
/// }
/// ```
// ANCHOR: threads
pub fn worker_allocations<A: GlobalAlloc + Sync>(global: &ThreadCounting<A>) {
    let step = AtomicU8::new(0);
    let (worker, main, total) = std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            // The thread's own start-up allocations are over before this point.
            step.store(STARTED, Ordering::Release);
            wait_for(&step, GO);
            let before = global.this_thread();
            drop(black_box((vec![1u8; 1000], Box::new([0u64; 4]))));
            let counted = global.this_thread().since(before);
            step.store(DONE, Ordering::Release);
            counted
        });
        wait_for(&step, STARTED);
        let (main, total) = (global.this_thread(), global.total());
        step.store(GO, Ordering::Release);
        wait_for(&step, DONE);
        let (main, total) = (
            global.this_thread().since(main),
            global.total().since(total),
        );
        (
            worker.join().expect("the worker thread does not panic"),
            main,
            total,
        )
    });
    print(
        "worker: vec![1u8; 1000], Box::new([0u64; 4])",
        worker,
        total,
    );
    print("main thread, meanwhile", main, total);
}
// ANCHOR_END: threads

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printed_line_parses_back() {
        let line = row(
            "Box::new(7u32)",
            Counts {
                allocations: 1,
                bytes: 4,
            },
            Counts {
                allocations: 2,
                bytes: 8,
            },
        );
        assert_eq!(
            Line::parse(&line),
            Some(Line {
                case: "Box::new(7u32)".into(),
                thread: Counts {
                    allocations: 1,
                    bytes: 4
                },
                total: Counts {
                    allocations: 2,
                    bytes: 8
                },
            })
        );
        assert_eq!(
            Line::parse("verdict=System    size=100      count=64"),
            None
        );
        assert_eq!(
            Line::parse(&format!(
                "{:CASE$}  {:>7} {:>9}",
                "what ran", "allocs", "bytes"
            )),
            None,
            "the header is not a line"
        );
    }
}
