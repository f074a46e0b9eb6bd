//! Chapter 17: allocator-independent heap profiling with dhat. Two named functions
//! allocate known totals; dhat's `HeapStats` and the `dhat-heap.json` it writes say
//! what each was charged. The binaries choose the global allocator: `ch17-dhat`
//! records through `dhat::Alloc`, `ch17-02-on-system` does not.

use std::hint::black_box;

// ANCHOR: workload
/// What `fill_cache` allocates: 64 MiB in 1,024 blocks of 64 KiB.
///
/// ```
/// assert_eq!(ch17_dhat::CACHE_BYTES, 64 * 1024 * 1024);
/// ```
pub const CACHE_BYTES: usize = 64 << 20;
const CACHE_BLOCK: usize = 64 << 10;
/// What `build_index` allocates: 16 MiB in 16,384 blocks of 1 KiB.
///
/// ```
/// assert_eq!(ch17_dhat::INDEX_BYTES, 16 * 1024 * 1024);
/// ```
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

/// Allocates [`CACHE_BYTES`] and keeps it.
///
/// ```
/// let cache = ch17_dhat::fill_cache();
/// assert_eq!(ch17_dhat::kept(&cache).1, 1024 + 1, "1,024 blocks and their list");
/// ```
#[inline(never)]
pub fn fill_cache() -> Vec<Box<[u8]>> {
    blocks(CACHE_BYTES, CACHE_BLOCK)
}

/// Allocates [`INDEX_BYTES`] and keeps it.
///
/// ```
/// let index = ch17_dhat::build_index();
/// let (bytes, _) = ch17_dhat::kept(&index);
/// assert!(bytes > ch17_dhat::INDEX_BYTES, "the blocks, plus their list");
/// ```
#[inline(never)]
pub fn build_index() -> Vec<Box<[u8]>> {
    blocks(INDEX_BYTES, INDEX_BLOCK)
}
// ANCHOR_END: workload

/// The bytes that `kept` holds on the heap, and in how many blocks: its blocks and
/// its own list of pointers.
///
/// ```
/// let blocks = vec![vec![0u8; 10].into_boxed_slice(), vec![0u8; 6].into_boxed_slice()];
/// let pointers = 2 * size_of::<Box<[u8]>>();
/// assert_eq!(ch17_dhat::kept(&blocks), (16 + pointers, 3), "two blocks and their list");
/// ```
pub fn kept(kept: &[Box<[u8]>]) -> (usize, usize) {
    let bytes = kept.iter().map(|block| block.len()).sum::<usize>() + size_of_val(kept);
    (bytes, kept.len() + 1)
}

/// Allocates and frees `rounds` short-lived blocks of 64 to 1,024 bytes: the
/// workload that the cost of recording is timed on (chapter 17's churn).
///
/// ```
/// // Everything it allocates is freed again: nothing stays live.
/// ch17_dhat::churn(1000);
/// ```
#[inline(never)]
pub fn churn(rounds: usize) {
    for i in 0..rounds {
        let block = vec![i as u8; 64 + (i % 16) * 64];
        black_box(&block);
    }
}

/// `n` with a comma between each group of three digits.
fn commas(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Runs the workload under dhat's heap profiler, which writes its profile to
/// `path` when it is dropped, and prints what `HeapStats` counted.
fn profile(path: &str) {
    // ANCHOR: profiler
    let profiler = dhat::Profiler::builder()
        .file_name(path)
        // Whole stacks: the default keeps 10 frames, which may stop short of
        // the function that asked.
        .trim_backtraces(None)
        .build();
    // ANCHOR_END: profiler
    // ANCHOR: stats
    let start = dhat::HeapStats::get();
    let cache = black_box(fill_cache());
    let after_cache = dhat::HeapStats::get();
    let index = black_box(build_index());
    let alive = dhat::HeapStats::get();
    let known = [("fill_cache", kept(&cache)), ("build_index", kept(&index))];
    drop(black_box(index));
    drop(black_box(cache));
    let freed = dhat::HeapStats::get();
    // ANCHOR_END: stats
    // Printed only now: printing allocates (stdout's buffer), and the counts above
    // are the workload's alone.
    for (function, (bytes, blocks)) in known {
        println!(
            "{function} allocated {} bytes in {} blocks",
            commas(bytes as u64),
            commas(blocks as u64)
        );
    }
    println!("dhat::HeapStats, as differences from the start of the workload:");
    let counted = [
        ("fill_cache", &start, &after_cache),
        ("build_index", &after_cache, &alive),
    ];
    for (function, before, after) in counted {
        println!(
            "  {function:<12} total_bytes +{}, total_blocks +{}",
            commas(after.total_bytes - before.total_bytes),
            commas(after.total_blocks - before.total_blocks)
        );
    }
    let base = start.curr_bytes as u64;
    for (when, stats) in [("both alive", &alive), ("both freed", &freed)] {
        println!(
            "  {when:<12} curr_bytes +{}, max_bytes +{}",
            commas(stats.curr_bytes as u64 - base),
            commas(stats.max_bytes as u64 - base)
        );
    }
    drop(profiler);
}

/// The program's `main`, for either choice of global allocator; returns its exit code.
///
/// No example: it reads the process's own arguments, which an example cannot choose; the tests
/// run the binaries `ch17-dhat` and `ch17-02-on-system` with them.
pub fn main_with(name: &str) -> i32 {
    let usage = format!("usage: {name} <json-path> | --churn <rounds> [<json-path>]");
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["--churn", rounds, ref rest @ ..] => {
            let Ok(rounds) = rounds.parse() else {
                eprintln!("{usage}");
                return 2;
            };
            let profiler = match rest {
                [] => None,
                [path] => Some(dhat::Profiler::builder().file_name(path).build()),
                _ => {
                    eprintln!("{usage}");
                    return 2;
                }
            };
            let started = std::time::Instant::now();
            churn(rounds);
            let elapsed = started.elapsed();
            drop(profiler);
            println!("churn took {} ns", elapsed.as_nanos());
            0
        }
        [path] => {
            profile(path);
            0
        }
        _ => {
            eprintln!("{usage}");
            2
        }
    }
}
