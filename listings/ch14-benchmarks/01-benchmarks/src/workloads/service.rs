//! Chapter 19: a service-shaped workload whose resident memory is read through time.
//! Worker threads handle bursts of requests, then the whole process idles; this
//! repeats. What the allocator gives back between bursts is what a service's memory
//! graph shows.

use std::hint::black_box;
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::Allocator;
use crate::rng::{Rng, mixed_sizes};

/// What the main thread does once every worker has finished a burst (and freed its
/// session).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterBurst {
    Nothing,
    /// glibc's `malloc_trim(0)`, which walks every arena.
    Trim,
    /// jemalloc's `arena.4096.purge` (4096 is `MALLCTL_ARENAS_ALL`).
    Purge,
    /// After the first burst only: jemalloc's `arenas.dirty_decay_ms` set to 0.
    SetArenasDecay,
    /// After the first burst only: `arena.<i>.dirty_decay_ms` set to 0 for every
    /// existing arena.
    SetEachArenaDecay,
}

impl AfterBurst {
    pub const ALL: [AfterBurst; 5] = [
        AfterBurst::Nothing,
        AfterBurst::Trim,
        AfterBurst::Purge,
        AfterBurst::SetArenasDecay,
        AfterBurst::SetEachArenaDecay,
    ];

    pub fn name(self) -> &'static str {
        match self {
            AfterBurst::Nothing => "nothing",
            AfterBurst::Trim => "trim",
            AfterBurst::Purge => "purge",
            AfterBurst::SetArenasDecay => "set-arenas-decay",
            AfterBurst::SetEachArenaDecay => "set-each-arena-decay",
        }
    }

    pub fn from_name(name: &str) -> Option<AfterBurst> {
        AfterBurst::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// The shape of one run.
#[derive(Debug, Clone, Copy)]
pub struct Service {
    pub threads: usize,
    pub cycles: usize,
    /// Bytes each worker allocates per burst.
    pub burst_bytes: usize,
    pub idle: Duration,
    pub after_burst: AfterBurst,
}

/// One reading of resident memory.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    pub t: Duration,
    pub cycle: usize,
    /// `burst` or `idle`.
    pub phase: &'static str,
    pub bytes: u64,
}

/// Resident bytes from `/proc/self/statm`, read into a stack buffer: no allocation, so
/// reading never gives the allocator a chance to do deferred work.
pub fn resident_bytes_quietly() -> u64 {
    let mut buf = [0u8; 128];
    let mut file =
        std::fs::File::open("/proc/self/statm").expect("/proc/self/statm is readable");
    let n = file.read(&mut buf).expect("/proc/self/statm can be read");
    let text = std::str::from_utf8(&buf[..n]).unwrap_or("");
    let pages: u64 = text
        .split_whitespace()
        .nth(1)
        .and_then(|f| f.parse().ok())
        .expect("/proc/self/statm's second field is the resident page count");
    // SAFETY: sysconf only reads a system constant.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    pages * page as u64
}

/// How often the main thread reads resident memory.
const EVERY: Duration = Duration::from_millis(50);
/// Blocks per request, and how many of them a worker keeps across bursts (a bounded
/// cache).
const PER_REQUEST: usize = 32;
const KEPT: usize = 256;

// ANCHOR: request
/// One worker. Each burst: requests of 32 blocks of 16 B to 16 KiB, all
/// written. A quarter of each request's blocks go to the next worker, which
/// frees them at the end of its burst. One block in 32 replaces the oldest
/// entry of a cache that lives across bursts. The rest stay in this burst's
/// session, freed when the burst ends.
fn worker(
    id: usize,
    service: Service,
    to_next: mpsc::Sender<Vec<Box<[u8]>>>,
    from_previous: mpsc::Receiver<Vec<Box<[u8]>>>,
    start: Arc<Barrier>,
    done: Arc<Barrier>,
    finished: Arc<AtomicUsize>,
) {
    let mut rng = Rng::new(1000 + id as u64);
    let mut kept: Vec<Box<[u8]>> = Vec::with_capacity(KEPT);
    let mut next_kept = 0;
    for _ in 0..service.cycles {
        start.wait();
        let mut session: Vec<Box<[u8]>> = Vec::new();
        let mut allocated = 0;
        while allocated < service.burst_bytes {
            session.extend(from_previous.try_iter().flatten());
            let sizes = mixed_sizes(rng.next_u64(), PER_REQUEST, 16, 16 << 10);
            let mut handed = Vec::with_capacity(PER_REQUEST / 4);
            for (i, &size) in sizes.iter().enumerate() {
                allocated += size;
                let block = vec![(i % 251) as u8; size].into_boxed_slice();
                match i % 32 {
                    0 if kept.len() < KEPT => kept.push(block),
                    0 => {
                        kept[next_kept] = block;
                        next_kept = (next_kept + 1) % KEPT;
                    }
                    1..=8 => handed.push(block),
                    _ => session.push(block),
                }
            }
            // The next worker frees them with its session, or right after its burst.
            if let Err(mpsc::SendError(back)) = to_next.send(handed) {
                session.extend(back);
            }
        }
        black_box(&session);
        drop(session);
        finished.fetch_add(1, Ordering::Release);
        done.wait();
        // Blocks handed over after this worker's last look: freed before the idle.
        from_previous.try_iter().for_each(drop);
        done.wait();
    }
    // Alive, cache and all, until the main thread has read the last idle period.
    start.wait();
    black_box(&kept);
}
// ANCHOR_END: request

/// Runs `service`, reading resident memory every 50 ms, and returns the readings.
pub fn run(service: Service, allocator: Allocator) -> Vec<Reading> {
    let threads = service.threads.max(1);
    let start = Arc::new(Barrier::new(threads + 1));
    let done = Arc::new(Barrier::new(threads + 1));
    let finished = Arc::new(AtomicUsize::new(0));
    let (senders, receivers): (Vec<_>, Vec<_>) =
        (0..threads).map(|_| mpsc::channel()).unzip();
    let mut receivers: Vec<Option<_>> = receivers.into_iter().map(Some).collect();
    // Room for every reading, so that the idle loop allocates nothing.
    let mut readings = Vec::with_capacity(service.cycles * 400 + 16);
    let began = Instant::now();
    std::thread::scope(|scope| {
        let mut handles = Vec::with_capacity(threads);
        for (id, receiver) in receivers.iter_mut().enumerate() {
            let to_next = senders[(id + 1) % threads].clone();
            let from_previous = receiver.take().expect("each receiver is taken once");
            let (start, done) = (Arc::clone(&start), Arc::clone(&done));
            let finished = Arc::clone(&finished);
            handles.push(scope.spawn(move || {
                worker(id, service, to_next, from_previous, start, done, finished)
            }));
        }
        drop(senders);
        for cycle in 0..service.cycles {
            start.wait();
            // Read while the workers run, until they all have finished their burst.
            while finished.load(Ordering::Acquire) < threads * (cycle + 1) {
                readings.push(Reading {
                    t: began.elapsed(),
                    cycle,
                    phase: "burst",
                    bytes: resident_bytes_quietly(),
                });
                sleep(EVERY / 2);
            }
            done.wait();
            done.wait();
            after_burst(service.after_burst, allocator, cycle);
            let idle_from = Instant::now();
            while idle_from.elapsed() < service.idle {
                readings.push(Reading {
                    t: began.elapsed(),
                    cycle,
                    phase: "idle",
                    bytes: resident_bytes_quietly(),
                });
                sleep(EVERY);
            }
        }
        start.wait();
        // `join` waits until each thread has exited, glibc's thread cache freed and
        // all, so that the evidence measured next sees a quiet heap.
        for handle in handles {
            handle.join().expect("a service worker panicked");
        }
    });
    readings
}

// ANCHOR: after_burst
fn after_burst(what: AfterBurst, allocator: Allocator, cycle: usize) {
    match (what, allocator) {
        (AfterBurst::Nothing, _) => {}
        (AfterBurst::Trim, Allocator::System) => {
            // SAFETY: malloc_trim only walks glibc's own arenas and free lists.
            unsafe { libc::malloc_trim(0) };
        }
        (AfterBurst::Purge, Allocator::Jemalloc) => {
            let purged = jemalloc_write("arena.4096.purge", None);
            purged.expect("jemalloc purges every arena");
        }
        (AfterBurst::SetArenasDecay, Allocator::Jemalloc) if cycle == 0 => {
            // The default for arenas created from now on; existing arenas keep theirs.
            jemalloc_write("arenas.dirty_decay_ms", Some(0))
                .expect("jemalloc accepts arenas.dirty_decay_ms");
        }
        (AfterBurst::SetEachArenaDecay, Allocator::Jemalloc) if cycle == 0 => {
            // Each existing arena has its own setting. `arenas.narenas` is how
            // many may exist; the ones not created yet refuse the write.
            for i in 0..jemalloc_narenas() {
                let _ = jemalloc_write(&format!("arena.{i}.dirty_decay_ms"), Some(0));
            }
        }
        // Later bursts: the setting stays as written after the first.
        (_, Allocator::Jemalloc) if cycle > 0 && what != AfterBurst::Purge => {}
        (what, allocator) => panic!(
            "{} does nothing on {}: choose another action",
            what.name(),
            allocator.name()
        ),
    }
}
// ANCHOR_END: after_burst

/// Writes an `ssize_t` (or nothing) to the jemalloc control `name`.
fn jemalloc_write(name: &str, value: Option<isize>) -> Result<(), i32> {
    let name = std::ffi::CString::new(name).expect("control names have no NUL");
    let mut value = value.unwrap_or(0);
    let (new, len) = if name.as_bytes().ends_with(b"purge") {
        (std::ptr::null_mut(), 0)
    } else {
        ((&raw mut value).cast::<libc::c_void>(), size_of::<isize>())
    };
    // SAFETY: a NUL-terminated name; `new` is null or points at an ssize_t of `len`
    // bytes, which is the type these controls take.
    let status = unsafe {
        tikv_jemalloc_sys::mallctl(
            name.as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            new,
            len,
        )
    };
    if status == 0 { Ok(()) } else { Err(status) }
}

fn jemalloc_narenas() -> u32 {
    let mut n: u32 = 0;
    let mut len = size_of::<u32>();
    // SAFETY: `arenas.narenas` reads one unsigned int into the buffer we own.
    let status = unsafe {
        tikv_jemalloc_sys::mallctl(
            c"arenas.narenas".as_ptr(),
            (&raw mut n).cast(),
            &mut len,
            std::ptr::null_mut(),
            0,
        )
    };
    assert_eq!(status, 0, "jemalloc refused arenas.narenas");
    n
}

// ANCHOR: arenas
/// How many arenas glibc has created: `malloc_info` writes one
/// `<heap nr="...">` element per arena.
pub fn glibc_arenas() -> usize {
    let mut buf: *mut libc::c_char = std::ptr::null_mut();
    let mut len: libc::size_t = 0;
    // SAFETY: open_memstream gives a FILE that writes into a buffer glibc
    // grows; malloc_info writes into it; after fclose, `buf` holds `len` bytes,
    // which we free with glibc's free.
    let xml = unsafe {
        let stream = libc::open_memstream(&mut buf, &mut len);
        assert!(!stream.is_null(), "open_memstream failed");
        let status = libc::malloc_info(0, stream);
        libc::fclose(stream);
        assert_eq!(status, 0, "malloc_info failed");
        let text = std::slice::from_raw_parts(buf.cast::<u8>(), len).to_vec();
        libc::free(buf.cast());
        text
    };
    String::from_utf8_lossy(&xml).matches("<heap nr=").count()
}
// ANCHOR_END: arenas
