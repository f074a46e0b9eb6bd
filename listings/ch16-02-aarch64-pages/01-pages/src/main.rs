//! Prints the page size jemalloc was built for (`arenas.page`) and the one the system
//! reports, then makes a few small allocations in each of several fresh arenas, as threads
//! do in a program that runs many of them, and prints how many bytes of pages jemalloc
//! holds for them.

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[cfg(not(target_env = "msvc"))]
fn main() -> Result<(), tikv_jemalloc_ctl::Error> {
    pages::report()
}

#[cfg(target_env = "msvc")]
fn main() {
    println!("jemalloc does not build for MSVC targets: nothing to measure");
}

#[cfg(not(target_env = "msvc"))]
mod pages {
    use std::ffi::c_void;

    use tikv_jemalloc_ctl::{Error, epoch, raw};
    use tikv_jemalloc_sys::{MALLOCX_ARENA, MALLOCX_TCACHE_NONE, dallocx, mallocx};

    /// How many arenas the workload uses: a program with this many busy threads gets
    /// about as many arenas (jemalloc's default is four per CPU).
    const ARENAS: usize = 8;
    /// One allocation of each of these sizes, in each arena: all small size classes.
    const SIZES: [usize; 8] = [8, 16, 32, 64, 128, 256, 512, 1024];

    // ANCHOR: page
    /// The page size compiled into jemalloc.
    fn jemalloc_page() -> Result<usize, Error> {
        // SAFETY: `arenas.page` is a read-only `size_t`, which is what `usize` is.
        unsafe { raw::read::<usize>(b"arenas.page\0") }
    }
    // ANCHOR_END: page

    /// Reads a `size_t` statistic of arena `arena`, e.g. `pactive`.
    fn arena_stat(arena: u32, stat: &str) -> Result<usize, Error> {
        let name = format!("stats.arenas.{arena}.{stat}\0");
        // SAFETY: the per-arena statistics read here (`pactive`, `resident`) are
        // `size_t`.
        unsafe { raw::read::<usize>(name.as_bytes()) }
    }

    pub fn report() -> Result<(), Error> {
        let page = jemalloc_page()?;
        // SAFETY: sysconf has no preconditions.
        let os_page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        println!("jemalloc's page size (arenas.page): {page} bytes");
        println!("the system's page size (sysconf):    {os_page} bytes");

        // ANCHOR: workload
        let mut held = Vec::new();
        let mut arenas = Vec::new();
        for _ in 0..ARENAS {
            // SAFETY: `arenas.create` returns the new arena's index, an `unsigned`.
            let arena = unsafe { raw::read::<u32>(b"arenas.create\0") }?;
            arenas.push(arena);
            for size in SIZES {
                // Straight from the arena, past the thread cache, so that nothing
                // else is counted: the arena holds exactly these allocations.
                let flags = MALLOCX_ARENA(arena as usize) | MALLOCX_TCACHE_NONE;
                // SAFETY: `size` is not zero, and `flags` names an arena that exists.
                let ptr = unsafe { mallocx(size, flags) };
                assert!(!ptr.is_null(), "mallocx({size}) in arena {arena} failed");
                // SAFETY: `ptr` points to at least `size` (> 0) writable bytes.
                unsafe { ptr.cast::<u8>().write(1) };
                held.push((ptr, flags));
            }
        }
        epoch::advance()?;
        let (mut active_pages, mut resident) = (0, 0);
        for &arena in &arenas {
            active_pages += arena_stat(arena, "pactive")?;
            resident += arena_stat(arena, "resident")?;
        }
        // ANCHOR_END: workload
        let requested: usize = SIZES.iter().sum::<usize>() * ARENAS;
        println!(
            "{ARENAS} arenas, one allocation of each of {} sizes from {} to {} bytes:",
            SIZES.len(),
            SIZES[0],
            SIZES[SIZES.len() - 1]
        );
        println!("  requested:    {requested:>8} bytes");
        println!(
            "  pages active: {:>8} bytes ({active_pages} pages of {page})",
            active_pages * page
        );
        println!("  resident:     {resident:>8} bytes (with the arenas' own metadata)");

        for (ptr, flags) in held {
            // SAFETY: `ptr` came from `mallocx` with these flags and is freed once.
            unsafe { dallocx(ptr.cast::<c_void>(), flags) };
        }
        Ok(())
    }
}
