//! jemalloc as the global allocator, unprefixed, so that it is C's `malloc` too. Without
//! arguments it prints which jemalloc runs (`version`), its page size and number of
//! arenas, and whether C's `malloc` comes from it. With `lookup-stack` it asks jemalloc
//! whether it owns an address on the stack, which it never handed out.

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[cfg(target_env = "msvc")]
fn main() {
    println!("jemalloc does not build for MSVC targets: nothing to show");
}

#[cfg(not(target_env = "msvc"))]
fn main() -> Result<(), tikv_jemalloc_ctl::Error> {
    use tikv_jemalloc_ctl::{opt, raw};

    if std::env::args().nth(1).as_deref() == Some("lookup-stack") {
        let local = 0u8;
        let owned = ch03_probe::jemalloc::owns(&raw const local);
        println!("jemalloc owns a stack address: {}", yes_no(owned));
        return Ok(());
    }
    // ANCHOR: version
    // The string tikv-jemalloc-ctl reads still ends with C's NUL.
    let version = tikv_jemalloc_ctl::version::read()?.trim_end_matches('\0');
    println!("jemalloc version: {version}");
    // ANCHOR_END: version
    // SAFETY: `arenas.page` is a read-only `size_t`, which is what `usize` is.
    let page = unsafe { raw::read::<usize>(b"arenas.page\0") }?;
    println!("page size (arenas.page): {page} bytes");
    println!("arenas (opt.narenas): {}", opt::narenas::read()?);
    // SAFETY: malloc accepts any size; the block is only looked up, then freed once.
    let block = unsafe { libc::malloc(100) };
    assert!(!block.is_null(), "malloc(100) failed");
    let owned = ch03_probe::jemalloc::owns(block.cast());
    // SAFETY: `block` came from malloc above and is freed once.
    unsafe { libc::free(block) };
    println!("C's malloc(100) comes from jemalloc: {}", yes_no(owned));
    Ok(())
}

#[cfg(not(target_env = "msvc"))]
fn yes_no(answer: bool) -> &'static str {
    if answer { "yes" } else { "no" }
}
