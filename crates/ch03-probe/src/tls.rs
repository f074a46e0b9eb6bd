//! How a shared library uses thread-local storage, read from its ELF file: whether it needs room
//! in the static TLS block that glibc sets aside when a program starts.
//!
//! Code built for the initial-exec TLS model (jemalloc's default, for speed) finds its
//! thread-locals at a fixed offset from the thread pointer. A library with such code carries the
//! `STATIC_TLS` flag in its dynamic section (`readelf -d` shows `FLAGS ... STATIC_TLS`). At start-up
//! the loader sizes the static block for it; a library loaded later with `dlopen` must fit into
//! the little room glibc keeps spare, or `dlopen` fails with "cannot allocate memory in static TLS
//! block".

use std::path::Path;

use object::elf::{DF_STATIC_TLS, DT_FLAGS, PT_TLS};
use object::read::elf::{Dyn, ElfFile64, ProgramHeader};
use object::{Endianness, ReadRef};

use crate::symbols::SymbolError;

/// What an ELF file says about its thread-local storage.
///
/// ```
/// use ch03_probe::tls::ThreadLocalStorage;
///
/// // Linux only: ELF files. This example's executable holds std's thread-locals.
/// if cfg!(target_os = "linux") {
///     let exe = std::env::current_exe().expect("the example's path");
///     let tls = ThreadLocalStorage::read(&exe).expect("an ELF file");
///     assert!(tls.block_size > 0, "{tls:?}");
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadLocalStorage {
    /// `DF_STATIC_TLS` is set in `DT_FLAGS`: the file needs a place in the static TLS block.
    pub static_tls: bool,
    /// The size of the file's TLS block in memory (its `PT_TLS` segment), 0 without one.
    pub block_size: u64,
}

impl ThreadLocalStorage {
    /// Reads the flag and the TLS block size of the 64-bit ELF file at `path`.
    ///
    /// ```
    /// use ch03_probe::tls::ThreadLocalStorage;
    ///
    /// let err = ThreadLocalStorage::read("no/such/library.so").expect_err("no such file");
    /// assert!(err.to_string().contains("build the artifact first"), "{err}");
    /// ```
    pub fn read(path: impl AsRef<Path>) -> Result<Self, SymbolError> {
        let path = path.as_ref();
        let data = crate::symbols::read_artifact(path)?;
        Self::parse(&*data).map_err(|source| SymbolError::Parse {
            path: path.to_owned(),
            source,
        })
    }
}

// ANCHOR: parse
impl ThreadLocalStorage {
    fn parse<'data>(data: impl ReadRef<'data>) -> object::Result<Self> {
        let file = ElfFile64::<Endianness, _>::parse(data)?;
        let endian = file.endian();
        let mut tls = ThreadLocalStorage {
            static_tls: false,
            block_size: 0,
        };
        for segment in file.elf_program_headers() {
            if segment.p_type(endian) == PT_TLS {
                tls.block_size = segment.p_memsz(endian);
            }
            for entry in segment.dynamic(endian, data)?.unwrap_or_default() {
                if entry.tag(endian) == DT_FLAGS
                    && entry.val(endian) & u64::from(DF_STATIC_TLS) != 0
                {
                    tls.static_tls = true;
                }
            }
        }
        Ok(tls)
    }
}
// ANCHOR_END: parse

// Linux only: the tests read the static TLS block of glibc's dynamic loader (ELF TLS).
#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use book_harness::c::CProgram;

    /// A shared library with one thread-local, compiled with the given TLS model.
    fn library(name: &str, model: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("ch03-probe-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a writable temporary directory");
        let source = dir.join(format!("{name}.c"));
        std::fs::write(
            &source,
            "__thread char buffer[4000];\nchar *get(void) { return buffer; }\n",
        )
        .expect("a writable temporary file");
        CProgram::new(&format!("lib{name}.so"))
            .flag("-shared")
            .flag("-fPIC")
            .flag(format!("-ftls-model={model}"))
            .source(&source)
            .compile()
    }

    #[test]
    fn initial_exec_code_sets_the_flag_and_general_dynamic_code_does_not() {
        let initial_exec = ThreadLocalStorage::read(library("probe-tls-ie", "initial-exec"))
            .expect("an ELF shared library");
        assert_eq!(
            initial_exec,
            ThreadLocalStorage {
                static_tls: true,
                block_size: 4000
            }
        );
        let general = ThreadLocalStorage::read(library("probe-tls-gd", "global-dynamic"))
            .expect("an ELF shared library");
        assert!(!general.static_tls, "{general:?}");
        assert_eq!(general.block_size, 4000);
    }

    #[test]
    fn a_text_file_is_not_an_elf_file() {
        let err = ThreadLocalStorage::read(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
            .unwrap_err();
        assert!(err.to_string().contains("is not an executable"), "{err}");
    }
}
