//! Allocations that the standard library makes itself, measured with the probe.
//!
//! Three binaries run these measurements and differ only in where jemalloc is declared and how
//! std is linked: `std-allocations` (the chapter's binary: jemalloc comes from the dylib, std is a
//! shared library), `static-std` (jemalloc declared in the binary, std linked in statically) and
//! `shared-std` (the same source as `static-std`, built with `-C prefer-dynamic`).
//!
//! Each site prints one title line (`<site>: ...`) and then its readings, before it frees what it
//! allocated: where freeing crashes (`shared-std`), the readings are already out.

use std::io::Read;
use std::mem::MaybeUninit;
use std::sync::{Arc, Barrier};
use std::thread;

use ch03_probe::Probe;
use ch03_probe::probe::BATCH;

/// The sites, in the order they run when none is named on the command line.
///
/// ```
/// let sites = ch10_std_allocations::SITES;
/// assert_eq!((sites.first(), sites.last()), (Some(&"box"), Some(&"in-thread")));
/// ```
pub const SITES: [&str; 10] = [
    "box",
    "box-slice",
    "format",
    "args",
    "read_to_end",
    "thread",
    "spawn",
    "handles",
    "stack",
    "in-thread",
];

/// Bytes per block for the sites whose size the program chooses.
///
/// ```
/// assert_eq!(ch10_std_allocations::SIZE, 4096);
/// ```
pub const SIZE: usize = 4096;

/// Stack size of the threads the `stack` site spawns.
///
/// ```
/// assert_eq!(ch10_std_allocations::STACK, 1024 * 1024);
/// ```
pub const STACK: usize = 1 << 20;

static TEXT: [u8; SIZE] = [b'x'; SIZE];

/// Runs the sites named on the command line, or all of them, and prints their readings.
/// Exits with a message when a name is not a site.
///
/// No example: it reads the process's own arguments; the binaries `std-allocations`,
/// `static-std` and `shared-std` call it, each with its own allocator and std linkage.
pub fn run() {
    let mut named: Vec<String> = std::env::args().skip(1).collect();
    if named.is_empty() {
        named = SITES.iter().map(|site| site.to_string()).collect();
    }
    for site in &named {
        match site.as_str() {
            "box" => own_boxes(),
            "box-slice" => own_slices(),
            "format" => format_strings(),
            "args" => args(),
            "read_to_end" => read_to_end(),
            "thread" => one_thread(),
            "spawn" => spawn(),
            "handles" => handles(),
            "stack" => stack(),
            "in-thread" => in_thread(),
            other => {
                eprintln!("`{other}` is not a site; give some of: {}", SITES.join(" "));
                std::process::exit(2);
            }
        }
    }
}

// ANCHOR: own_boxes
fn own_boxes() {
    println!("box: Box::new([u8; {SIZE}]), the allocation call compiled into the program");
    let probe = Probe::new();
    let mut boxes: Vec<Box<[MaybeUninit<u8>; SIZE]>> = Vec::with_capacity(BATCH);
    let before = probe.snapshot();
    for _ in 0..BATCH {
        boxes.push(Box::new([MaybeUninit::uninit(); SIZE]));
    }
    let after = probe.snapshot();
    let first = boxes[0].as_ptr().cast();
    println!("{}", after.reading_since(&before, SIZE, BATCH, first));
}
// ANCHOR_END: own_boxes

/// `BATCH` slices of `size` bytes from `Box::new_uninit_slice`, whose allocation call is in
/// std's `RawVec` code; prints the reading.
fn slices(size: usize) {
    let probe = Probe::new();
    let mut boxes: Vec<Box<[MaybeUninit<u8>]>> = Vec::with_capacity(BATCH);
    let before = probe.snapshot();
    for _ in 0..BATCH {
        boxes.push(Box::new_uninit_slice(size));
    }
    let after = probe.snapshot();
    let first = boxes[0].as_ptr().cast();
    println!("{}", after.reading_since(&before, size, BATCH, first));
}

fn own_slices() {
    println!("box-slice: Box::new_uninit_slice({SIZE}), called by the program's own code");
    slices(SIZE);
}

// ANCHOR: format
#[expect(
    clippy::useless_format,
    reason = "the allocation format! makes is what is measured"
)]
fn format_strings() {
    println!("format: format!(\"{{text}}\") of {SIZE} B, allocated inside std");
    let text = std::str::from_utf8(&TEXT).expect("ASCII text");
    let probe = Probe::new();
    let mut strings: Vec<String> = Vec::with_capacity(BATCH);
    let before = probe.snapshot();
    for _ in 0..BATCH {
        strings.push(format!("{text}"));
    }
    let after = probe.snapshot();
    let first = strings[0].as_ptr();
    println!("{}", after.reading_since(&before, SIZE, BATCH, first));
}
// ANCHOR_END: format

// ANCHOR: args
fn args() {
    // std::env::args() copies every argument into a new String; size = all their bytes.
    let size: usize = std::env::args_os().map(|arg| arg.len()).sum();
    println!("args: std::env::args() copies the arguments, {size} B in all");
    let probe = Probe::new();
    let mut copies: Vec<(std::env::Args, String)> = Vec::with_capacity(BATCH);
    let before = probe.snapshot();
    for _ in 0..BATCH {
        let mut args = std::env::args();
        let program = args.next().expect("argv[0] is set");
        copies.push((args, program));
    }
    let after = probe.snapshot();
    let first = copies[0].1.as_ptr();
    println!("{}", after.reading_since(&before, size, BATCH, first));
}
// ANCHOR_END: args

// ANCHOR: read_to_end
fn read_to_end() {
    println!("read_to_end: an empty Vec<u8> that std's read_to_end grows to {SIZE} B");
    let probe = Probe::new();
    let mut vecs: Vec<Vec<u8>> = (0..BATCH).map(|_| Vec::new()).collect();
    let before = probe.snapshot();
    for vec in &mut vecs {
        (&TEXT[..])
            .read_to_end(vec)
            .expect("reading a slice cannot fail");
    }
    let after = probe.snapshot();
    let first = vecs[0].as_ptr();
    println!("{}", after.reading_since(&before, SIZE, BATCH, first));
}
// ANCHOR_END: read_to_end

// ANCHOR: thread
fn one_thread() {
    println!("thread: thread::spawn(|| {{}}), then join");
    thread::spawn(|| {})
        .join()
        .expect("the thread does not panic");
    println!("the thread ran and was joined");
}
// ANCHOR_END: thread

// ANCHOR: spawn
fn spawn() {
    println!("spawn: {BATCH} threads named with {SIZE} B each, std copies the name");
    let names: Vec<String> = (0..BATCH).map(|_| "t".repeat(SIZE)).collect();
    // Every thread waits at `started` (so its start-up is done when the second snapshot
    // is taken), then at `release` (so it lives, with its name, until the reading is
    // printed).
    let started = Arc::new(Barrier::new(BATCH + 1));
    let release = Arc::new(Barrier::new(BATCH + 1));
    let mut threads = Vec::with_capacity(BATCH);
    let probe = Probe::new();
    let before = probe.snapshot();
    for name in names {
        let (started, release) = (Arc::clone(&started), Arc::clone(&release));
        let thread = thread::Builder::new().name(name).spawn(move || {
            started.wait();
            release.wait();
        });
        threads.push(thread.expect("the system can start 64 threads"));
    }
    started.wait();
    let after = probe.snapshot();
    let name = threads[0].thread().name().expect("named").as_ptr();
    println!("{}", after.reading_since(&before, SIZE, BATCH, name));
    release.wait();
    for thread in threads {
        thread.join().expect("the thread does not panic");
    }
}
// ANCHOR_END: spawn

// ANCHOR: handles
fn handles() {
    let title = "threads one after the other, their handles dropped or kept";
    println!("handles: {BATCH} {title}");
    let probe = Probe::new();
    let threads = |keep: bool| {
        let mut kept = Vec::with_capacity(BATCH);
        let before = probe.snapshot();
        for _ in 0..BATCH {
            let thread = thread::spawn(|| {});
            let handle = thread.thread().clone();
            thread.join().expect("the thread does not panic");
            if keep {
                kept.push(handle);
            }
        }
        let reading = probe
            .snapshot()
            .reading_since(&before, 1, BATCH, std::ptr::null());
        let glibc = reading.glibc.unwrap_or_default();
        let jemalloc = reading.jemalloc_thread.unwrap_or_default();
        let what = if keep { "kept" } else { "dropped" };
        let counter = "jemalloc's thread counter";
        println!("handles {what}: glibc grew by {glibc} B, {counter} by {jemalloc} B");
    };
    // The first thread of a process sets up what later threads reuse (its stack,
    // glibc's arena).
    thread::spawn(|| {})
        .join()
        .expect("the thread does not panic");
    threads(false);
    threads(true);
}
// ANCHOR_END: handles

fn stack() {
    println!("stack: {BATCH} threads with stacks of {STACK} B, one after the other");
    let probe = Probe::new();
    let mut locals = Vec::with_capacity(BATCH);
    let before = probe.snapshot();
    for _ in 0..BATCH {
        let thread = thread::Builder::new().stack_size(STACK).spawn(|| {
            let local = 0u8;
            // The address of a local variable: a place on this thread's stack.
            std::hint::black_box(&local) as *const u8 as usize
        });
        let local = thread.expect("the system can start a thread").join();
        locals.push(local.expect("the thread does not panic"));
    }
    let after = probe.snapshot();
    let on_a_stack = locals[0] as *const u8;
    println!("{}", after.reading_since(&before, STACK, BATCH, on_a_stack));
}

// ANCHOR: in_thread
fn in_thread() {
    println!("in-thread: boxes that a spawned thread allocates, 100 B and 1 MiB");
    let thread = thread::spawn(|| {
        slices(100);
        slices(1 << 20);
    });
    thread.join().expect("the thread does not panic");
}
// ANCHOR_END: in_thread
