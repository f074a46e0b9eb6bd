//! Builds the library and the C programs that use it, right or wrong.

use std::sync::OnceLock;

use book_harness::c::{CProgram, RustLibrary};

pub const RECORDED: &str =
    "listings/ch13-ownership-across-the-boundary/01-ownership-across-the-boundary/recorded";
const LISTING: &str =
    "listings/ch13-ownership-across-the-boundary/01-ownership-across-the-boundary";

fn library() -> &'static RustLibrary {
    static LIBRARY: OnceLock<RustLibrary> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        RustLibrary::build(
            "ch13-ownership-across-the-boundary",
            "libch13_ownership_across_the_boundary.so",
        )
    })
}

/// Compiles `c/<source>.c` against the library, as `ch13-<source with dashes>`.
pub fn program(source: &str) -> CProgram {
    let program = CProgram::new(&format!("ch13-{}", source.replace('_', "-")))
        .include_dir(format!("{LISTING}/include"))
        .source(format!("{LISTING}/c/{source}.c"))
        .link_library(library().dir(), "ch13_ownership_across_the_boundary");
    program.compile();
    program
}
