//! Chapter 13's second mistake, the library freeing C's string, in a process where C's `malloc` is
//! jemalloc's too. The block goes back to the right allocator, but Rust frees it with the size that
//! `CString::from_raw` recomputes (the string's length plus its NUL), and jemalloc trusts that
//! size. Prints, for a block of `asked` bytes holding a 2-character string, whether the next
//! 8-byte `malloc` gets the same block back: `ch08-wrong-size-free 3 100`.

use std::ffi::CString;

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// ANCHOR: wrong_size
/// C allocates `asked` bytes and writes "hi"; the library takes the pointer back with
/// `CString::from_raw`, which frees 3 bytes. Returns the block's usable size before the
/// free, and whether `malloc(8)` then hands out the same address.
fn free_as_a_cstring(asked: usize) -> (usize, bool) {
    // SAFETY: malloc accepts any size; the block is checked for null before it is used.
    let block = unsafe { libc::malloc(asked) }.cast::<u8>();
    assert!(!block.is_null(), "malloc({asked}) failed");
    // SAFETY: the block holds at least 3 bytes, and its usable size is queried before
    // the free.
    let usable = unsafe {
        block.copy_from_nonoverlapping(c"hi".as_ptr().cast(), 3);
        libc::malloc_usable_size(block.cast())
    };
    // SAFETY: this is the mistake the chapter shows, made on purpose in a process of
    // its own: the block did not come from a CString. It holds a NUL-terminated string,
    // so from_raw reads it.
    drop(unsafe { CString::from_raw(block.cast()) });
    // SAFETY: malloc accepts any size; the block is freed right after the comparison.
    let next = unsafe { libc::malloc(8) }.cast::<u8>();
    let same = next == block;
    // SAFETY: `next` came from malloc and is freed once.
    unsafe { libc::free(next.cast()) };
    (usable, same)
}
// ANCHOR_END: wrong_size

fn main() {
    for arg in std::env::args().skip(1) {
        let Ok(asked) = arg.parse::<usize>() else {
            eprintln!("usage: ch08-wrong-size-free <bytes C asks for, at least 3>...");
            std::process::exit(2);
        };
        let (usable, same) = free_as_a_cstring(asked.max(3));
        println!(
            "malloc({asked}) usable={usable}, freed as 3 bytes; next malloc(8) gets it: {}",
            if same { "yes" } else { "no" }
        );
    }
}
