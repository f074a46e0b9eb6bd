//! Which allocator served a worker's allocations, from the allocators' own books.
//!
//! The probe of chapter 3 does this for the root workspace, but it needs jemalloc's
//! `stats`, and these timing builds leave `stats` off (linking the probe would switch
//! it on). So this module reads the three readings that work without it: glibc's
//! `mallinfo2`, jemalloc's per-thread `thread.allocatedp` and its `arenas.lookup`, and
//! mimalloc's `mi_is_in_heap_region`.

use std::ffi::{c_uint, c_void};
use std::fmt;
use std::str::FromStr;

use crate::Allocator;

/// Blocks in the batch, and the size of each. A batch, not one block: glibc's
/// per-thread cache can hide up to 7 freed chunks of a size from `mallinfo2` (chapter
/// 3).
pub const BATCH: usize = 64;
pub const BLOCK: usize = 100;

/// The readings around one batch of live blocks, allocated through the global
/// allocator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evidence {
    /// Change of glibc's bytes in use (`uordblks + hblkhd`).
    pub glibc_delta: i64,
    /// Change of jemalloc's running total for this thread (`thread.allocatedp`).
    pub jemalloc_thread_delta: u64,
    /// Whether jemalloc's `arenas.lookup` knows the first block.
    pub jemalloc_owns: bool,
    /// Whether mimalloc's `mi_is_in_heap_region` claims the first block.
    pub mimalloc_owns: bool,
}

fn glibc_in_use() -> i64 {
    // SAFETY: mallinfo2 takes no arguments and only reads glibc's statistics.
    let info = unsafe { libc::mallinfo2() };
    (info.uordblks + info.hblkhd) as i64
}

fn jemalloc_owns(ptr: *const u8) -> bool {
    let mut arena: c_uint = 0;
    let mut arena_len = size_of::<c_uint>();
    let mut query = ptr.cast_mut().cast::<c_void>();
    // SAFETY: `arenas.lookup` reads a pointer from `newp` and writes a `c_uint` to
    // `oldp`; both are live locals of those sizes. jemalloc compares the address with
    // its own, never dereferences it.
    let status = unsafe {
        tikv_jemalloc_sys::mallctl(
            c"arenas.lookup".as_ptr(),
            (&raw mut arena).cast(),
            &mut arena_len,
            (&raw mut query).cast(),
            size_of::<*mut c_void>(),
        )
    };
    status == 0
}

fn mimalloc_owns(ptr: *const u8) -> bool {
    // SAFETY: mi_is_in_heap_region only compares the address with mimalloc's reserved
    // regions.
    unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
}

impl Evidence {
    /// Allocates [`BATCH`] blocks of [`BLOCK`] bytes through the global allocator,
    /// keeps them live while it reads every counter again, then frees them.
    pub fn measure() -> Evidence {
        let thread = tikv_jemalloc_ctl::thread::allocatedp::read()
            .expect("jemalloc answers thread.allocatedp without `stats`");
        let mut blocks: Vec<Vec<u8>> = Vec::with_capacity(BATCH);
        let (glibc_before, jemalloc_before) = (glibc_in_use(), thread.get());
        for _ in 0..BATCH {
            blocks.push(Vec::with_capacity(BLOCK));
        }
        let (glibc_after, jemalloc_after) = (glibc_in_use(), thread.get());
        let first = blocks[0].as_ptr();
        Evidence {
            glibc_delta: glibc_after - glibc_before,
            jemalloc_thread_delta: jemalloc_after - jemalloc_before,
            jemalloc_owns: jemalloc_owns(first),
            mimalloc_owns: mimalloc_owns(first),
        }
    }

    // ANCHOR: served_by
    /// The allocator these readings show, or `None` if they show no single one. Each
    /// side counts: the allocator that served grew by the batch or owns the block, and
    /// the others show nothing.
    pub fn served_by(&self) -> Option<Allocator> {
        let requested = (BATCH * BLOCK) as u64;
        let glibc_grew = self.glibc_delta >= (requested / 2) as i64;
        let glibc_still = self.glibc_delta < BLOCK as i64;
        let jemalloc_grew =
            self.jemalloc_thread_delta >= requested && self.jemalloc_owns;
        let jemalloc_still = self.jemalloc_thread_delta == 0 && !self.jemalloc_owns;
        match (glibc_grew, jemalloc_grew, self.mimalloc_owns) {
            (true, false, false) if jemalloc_still => Some(Allocator::System),
            (false, true, false) if glibc_still => Some(Allocator::Jemalloc),
            (false, false, true) if glibc_still && jemalloc_still => {
                Some(Allocator::Mimalloc)
            }
            _ => None,
        }
    }
    // ANCHOR_END: served_by
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "evidence served_by={} glibc_delta={} jemalloc_thread_delta={} jemalloc_owns={} \
             mimalloc_owns={}",
            self.served_by().map_or("unknown", Allocator::name),
            self.glibc_delta,
            self.jemalloc_thread_delta,
            self.jemalloc_owns,
            self.mimalloc_owns,
        )
    }
}

impl FromStr for Evidence {
    type Err = String;

    /// Parses the line [`Evidence`]'s `Display` prints, and rejects one whose
    /// `served_by` its numbers do not give.
    fn from_str(line: &str) -> Result<Self, String> {
        let fields = crate::line::fields(
            line.strip_prefix("evidence ")
                .ok_or_else(|| format!("not an evidence line: {line:?}"))?,
        );
        let get = |key: &str| {
            fields
                .get(key)
                .copied()
                .ok_or_else(|| format!("evidence line without {key}: {line:?}"))
        };
        let number = |key: &str| -> Result<i64, String> {
            get(key)?
                .parse()
                .map_err(|err| format!("{key} in {line:?}: {err}"))
        };
        let flag = |key: &str| -> Result<bool, String> {
            get(key)?
                .parse()
                .map_err(|err| format!("{key} in {line:?}: {err}"))
        };
        let evidence = Evidence {
            glibc_delta: number("glibc_delta")?,
            jemalloc_thread_delta: number("jemalloc_thread_delta")? as u64,
            jemalloc_owns: flag("jemalloc_owns")?,
            mimalloc_owns: flag("mimalloc_owns")?,
        };
        let printed = get("served_by")?;
        let computed = evidence.served_by().map_or("unknown", Allocator::name);
        if printed != computed {
            return Err(format!(
                "the line says served_by={printed} but its numbers give {computed}: {line:?}"
            ));
        }
        Ok(evidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYSTEM: Evidence = Evidence {
        glibc_delta: 7168,
        jemalloc_thread_delta: 0,
        jemalloc_owns: false,
        mimalloc_owns: false,
    };

    #[test]
    fn each_allocator_needs_its_own_sign_and_silence_from_the_others() {
        assert_eq!(SYSTEM.served_by(), Some(Allocator::System));
        let jemalloc = Evidence {
            glibc_delta: 0,
            jemalloc_thread_delta: 7168,
            jemalloc_owns: true,
            ..SYSTEM
        };
        assert_eq!(jemalloc.served_by(), Some(Allocator::Jemalloc));
        let mimalloc = Evidence {
            glibc_delta: 0,
            mimalloc_owns: true,
            ..SYSTEM
        };
        assert_eq!(mimalloc.served_by(), Some(Allocator::Mimalloc));
        // Two allocators showing the batch at once is no verdict.
        assert_eq!(
            Evidence {
                mimalloc_owns: true,
                ..SYSTEM
            }
            .served_by(),
            None
        );
        assert_eq!(
            Evidence {
                jemalloc_thread_delta: 7168,
                ..SYSTEM
            }
            .served_by(),
            None
        );
        assert_eq!(
            Evidence {
                glibc_delta: 7168,
                ..jemalloc
            }
            .served_by(),
            None
        );
    }

    #[test]
    fn a_line_round_trips_and_cannot_claim_what_its_numbers_do_not_give() {
        let line = SYSTEM.to_string();
        assert_eq!(line.parse::<Evidence>(), Ok(SYSTEM));
        let forged = line.replace("served_by=system", "served_by=jemalloc");
        assert!(
            forged.parse::<Evidence>().is_err(),
            "expected a line claiming jemalloc with System's numbers to be refused: {forged}"
        );
    }
}
