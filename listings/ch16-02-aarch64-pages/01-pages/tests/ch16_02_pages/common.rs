// Shared by the modules of this test binary (each uses it as `crate::common`).
#![allow(dead_code)]

/// What the program printed, as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pages {
    /// `arenas.page`: the page size compiled into jemalloc.
    pub jemalloc_page: u64,
    /// `sysconf(_SC_PAGESIZE)`: the page size the system (or the emulator) reports.
    pub system_page: u64,
    /// Bytes of pages active in the workload's arenas.
    pub active: u64,
}

fn number_after(output: &str, label: &str) -> u64 {
    let line = output
        .lines()
        .find(|line| line.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("expected a line starting with {label:?} in:\n{output}"));
    line[line.find(':').expect("the line has a colon") + 1..]
        .split_whitespace()
        .next()
        .and_then(|word| word.parse().ok())
        .unwrap_or_else(|| panic!("expected a number after {label:?} in {line:?}"))
}

/// Reads the program's output.
pub fn parse(output: &str) -> Pages {
    Pages {
        jemalloc_page: number_after(output, "jemalloc's page size"),
        system_page: number_after(output, "the system's page size"),
        active: number_after(output, "pages active"),
    }
}

/// Pages that the workload keeps active: one slab per size class per arena, and on a small size
/// class a slab is one page (8 arenas x 8 sizes).
pub const WORKLOAD_PAGES: u64 = 64;
