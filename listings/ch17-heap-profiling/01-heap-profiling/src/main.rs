//! Allocates a known amount from two named functions, keeps it, and asks jemalloc's profiler to
//! write a heap profile: `ch17-heap-profiling <profile-path>`. `jeprof --text` then charges each
//! function what it keeps (tests/allocator_book/ch17_heap_profiling.rs in the repository root checks it).

use std::hint::black_box;

// jemalloc's profiler needs jemalloc: the listing gates it off where the book does not use it.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// ANCHOR: malloc_conf
/// Sampling on from the start (`prof:true`), one sample per 16 KiB allocated on
/// average (`lg_prof_sample:14`; the default, 19, is one per 512 KiB).
/// `_RJEM_MALLOC_CONF` overrides it.
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static MALLOC_CONF: &std::ffi::c_char = {
    let conf = c"prof:true,lg_prof_sample:14";
    // SAFETY: the pointer comes from a C string literal, which lives as long as
    // the program.
    unsafe { &*conf.as_ptr() }
};
// ANCHOR_END: malloc_conf

// ANCHOR: workload
/// What `fill_cache` keeps: 64 MiB in 1,024 blocks of 64 KiB.
pub const CACHE_BYTES: usize = 64 << 20;
const CACHE_BLOCK: usize = 64 << 10;
/// What `build_index` keeps: 16 MiB in 16,384 blocks of 1 KiB.
pub const INDEX_BYTES: usize = 16 << 20;
const INDEX_BLOCK: usize = 1 << 10;

/// Keeps `total` bytes in blocks of `block` bytes, listed in one more block of
/// pointers.
fn blocks(total: usize, block: usize) -> Vec<Box<[u8]>> {
    let mut kept = Vec::with_capacity(total / block);
    for i in 0..total / block {
        kept.push(vec![i as u8; block].into_boxed_slice());
    }
    kept
}

#[inline(never)]
fn fill_cache() -> Vec<Box<[u8]>> {
    blocks(CACHE_BYTES, CACHE_BLOCK)
}

#[inline(never)]
fn build_index() -> Vec<Box<[u8]>> {
    blocks(INDEX_BYTES, INDEX_BLOCK)
}
// ANCHOR_END: workload

/// The bytes that `kept` holds on the heap: its blocks and its own list of pointers.
fn kept_bytes(kept: &[Box<[u8]>]) -> usize {
    kept.iter().map(|block| block.len()).sum::<usize>() + std::mem::size_of_val(kept)
}

// ANCHOR: dump
/// Writes a heap profile of what is live now to `path`, through the `prof.dump`
/// control.
#[cfg(not(target_env = "msvc"))]
fn dump_profile(path: &str) -> Result<(), String> {
    use tikv_jemalloc_ctl::raw;
    let path = std::ffi::CString::new(path).map_err(|_| "a NUL in the path")?;
    // SAFETY: `prof.dump` takes a `const char *`; `path` is a NUL-terminated
    // string that outlives the call, and jemalloc only reads it.
    let written = unsafe { raw::write(b"prof.dump\0", path.as_ptr()) };
    written.map_err(|err| format!("prof.dump failed ({err}): built with `profiling`?"))
}
// ANCHOR_END: dump

#[cfg(target_env = "msvc")]
fn dump_profile(_path: &str) -> Result<(), String> {
    Err("this listing profiles with jemalloc, which the book does not use with MSVC".to_owned())
}

// ANCHOR: churn
/// Allocates and frees `rounds` short-lived blocks of 64 to 1,024 bytes (544 on
/// average): the workload that the cost of profiling is timed on.
#[inline(never)]
fn churn(rounds: usize) {
    for i in 0..rounds {
        let block = vec![i as u8; 64 + (i % 16) * 64];
        black_box(&block);
    }
}
// ANCHOR_END: churn

fn main() {
    let usage = "usage: ch17-heap-profiling <profile-path> | --churn <rounds> [<profile-path>]";
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    if path == "--churn" {
        let rounds = std::env::args().nth(2).and_then(|n| n.parse().ok());
        let Some(rounds) = rounds else {
            eprintln!("{usage}");
            std::process::exit(2);
        };
        churn(rounds);
        if let Some(path) = std::env::args().nth(3)
            && let Err(err) = dump_profile(&path)
        {
            eprintln!("{err}");
            std::process::exit(1);
        }
        return;
    }
    let cache = black_box(fill_cache());
    let index = black_box(build_index());
    println!("fill_cache keeps {} bytes", kept_bytes(&cache));
    println!("build_index keeps {} bytes", kept_bytes(&index));
    if let Err(err) = dump_profile(&path) {
        eprintln!("{err}");
        std::process::exit(1);
    }
    println!("profile written");
    drop(black_box(index));
    drop(black_box(cache));
}
