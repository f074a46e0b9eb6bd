//! jemalloc as the global allocator, built unprefixed so that C's `malloc` is jemalloc's too. It
//! measures batches of blocks from C's `malloc`, or from glibc's `strdup` (which calls `malloc`
//! inside the C library), and prints one reading per size:
//! `ch08-c-heap malloc 100 65536 1048576` or `ch08-c-heap strdup 100`.

use std::ffi::CString;

use ch03_probe::{Probe, Reading};

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let function = args.next().unwrap_or_default();
    let sizes = ch03_probe::probe::sizes_from_args(args);
    let probe = Probe::new();
    for size in sizes {
        let Some(reading) = measure(&probe, &function, size) else {
            eprintln!("usage: ch08-c-heap malloc|strdup <size in bytes>...");
            std::process::exit(2)
        };
        println!("{reading}");
    }
}

// ANCHOR: c_calls
/// Measures a batch of `size`-byte blocks from C's `malloc` or from glibc's `strdup`.
fn measure(probe: &Probe, function: &str, size: usize) -> Option<Reading> {
    let reading = match function {
        "malloc" => probe.measure_with(
            size,
            // SAFETY: malloc takes any size; the probe checks the block and frees it.
            |size| unsafe { libc::malloc(size) }.cast(),
            free,
        ),
        "strdup" => {
            // A C string of `size` bytes, NUL included, copied by glibc's strdup.
            let text = CString::new(vec![b'x'; size - 1]).expect("no NUL inside");
            probe.measure_with(
                size,
                // SAFETY: `text` is a valid C string that outlives every call.
                |_| unsafe { libc::strdup(text.as_ptr()) }.cast(),
                free,
            )
        }
        _ => return None,
    };
    Some(reading)
}
// ANCHOR_END: c_calls

/// Gives a block from `malloc` or `strdup` back to C's `free`.
fn free(block: *mut u8) {
    // SAFETY: the probe passes each block it got from `malloc` or `strdup` exactly once.
    unsafe { libc::free(block.cast()) }
}
