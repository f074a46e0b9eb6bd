//! Which allocator symbols an artifact carries, read from the file itself.
//!
//! Symbols are evidence about how an artifact was linked, not proof of who serves an allocation at
//! run time (the [`Probe`](crate::Probe) measures that): release builds with LTO can inline
//! `__rdl_alloc` away, and a library can link jemalloc that nothing allocates with.
//!
//! The file is parsed with the `object` crate (ELF, Mach-O, PE, and `ar` archives such as a
//! `staticlib`'s `.a`), so no external tool is needed. Rust symbol names are demangled first:
//! since Rust 1.87 the allocator shims are mangled as `__rustc::__rust_alloc`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use object::read::archive::ArchiveFile;
use object::{BinaryFormat, Object, ObjectSymbol};

/// How a symbol appears in an artifact.
///
/// ```
/// use ch03_probe::symbols::Presence;
///
/// assert!(Presence::Defined > Presence::Imported && Presence::Imported > Presence::Absent);
/// assert_eq!(Presence::Imported.to_string(), "imported");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Presence {
    /// Not mentioned at all.
    Absent,
    /// Used but defined elsewhere (for example `malloc`, imported from the C library).
    Imported,
    /// Defined in the artifact (its code is inside).
    Defined,
}

impl fmt::Display for Presence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Presence::Absent => "absent",
            Presence::Imported => "imported",
            Presence::Defined => "defined",
        })
    }
}

/// The symbols that tell allocators apart, with what each one means.
///
/// ```
/// let names: Vec<&str> = ch03_probe::symbols::TELLING_SYMBOLS.iter().map(|(n, _)| *n).collect();
/// assert_eq!(names, ["__rust_alloc", "__rdl_alloc", "_rjem_malloc", "malloc"]);
/// ```
// ANCHOR: telling_symbols
pub const TELLING_SYMBOLS: [(&str, &str); 4] = [
    (
        "__rust_alloc",
        "rustc's allocator shim: every Rust allocation calls it",
    ),
    (
        "__rdl_alloc",
        "std's System code, when no crate has a #[global_allocator]",
    ),
    (
        "_rjem_malloc",
        "prefixed jemalloc's malloc, linked if something calls it",
    ),
    (
        "malloc",
        "C's malloc: from libc, defined only if something replaces it",
    ),
];
// ANCHOR_END: telling_symbols

/// The symbols of one artifact (an executable, a shared library, an object file or an archive),
/// with Rust names demangled and without their hashes.
///
/// ```
/// use ch03_probe::symbols::{ArtifactSymbols, Presence};
///
/// // This example's own executable: no #[global_allocator], so std's System code is inside.
/// let exe = std::env::current_exe().expect("the example's path");
/// let symbols = ArtifactSymbols::read(&exe).expect("an executable");
/// assert_eq!(symbols.presence("__rdl_alloc"), Presence::Defined);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ArtifactSymbols {
    symbols: BTreeMap<String, Presence>,
}

/// Why an artifact's symbols could not be read.
///
/// ```
/// use ch03_probe::symbols::{ArtifactSymbols, SymbolError};
///
/// let err = ArtifactSymbols::read("no/such/artifact").expect_err("nothing to read");
/// assert!(matches!(err, SymbolError::Read { .. }), "{err:?}");
/// assert!(err.to_string().contains("build the artifact first"), "{err}");
/// ```
#[derive(Debug)]
pub enum SymbolError {
    /// The file could not be read.
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not an object file or archive that `object` can parse.
    Parse {
        path: PathBuf,
        source: object::Error,
    },
}

impl fmt::Display for SymbolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SymbolError::Read { path, source } => write!(
                f,
                "cannot read {}: {source}; build the artifact first (cargo build --workspace --locked)",
                path.display()
            ),
            SymbolError::Parse { path, source } => write!(
                f,
                "{} is not an executable, library, object file or archive: {source}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for SymbolError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SymbolError::Read { source, .. } => Some(source),
            SymbolError::Parse { source, .. } => Some(source),
        }
    }
}

/// The bytes of the artifact at `path`, or a [`SymbolError::Read`] that says to build it.
pub(crate) fn read_artifact(path: &Path) -> Result<Vec<u8>, SymbolError> {
    std::fs::read(path).map_err(|source| SymbolError::Read {
        path: path.to_owned(),
        source,
    })
}

impl ArtifactSymbols {
    /// Reads every symbol of the file at `path`, from its symbol table and its dynamic symbol table
    /// (all members, for an archive).
    ///
    /// ```
    /// use ch03_probe::symbols::{ArtifactSymbols, SymbolError};
    ///
    /// let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    /// let err = ArtifactSymbols::read(manifest).expect_err("a text file has no symbols");
    /// assert!(matches!(err, SymbolError::Parse { .. }), "{err:?}");
    /// ```
    pub fn read(path: impl AsRef<Path>) -> Result<Self, SymbolError> {
        let path = path.as_ref();
        let data = read_artifact(path)?;
        let parse_error = |source| SymbolError::Parse {
            path: path.to_owned(),
            source,
        };
        let mut symbols = ArtifactSymbols::default();
        if let Ok(archive) = ArchiveFile::parse(&*data) {
            for member in archive.members() {
                let member = member.map_err(parse_error)?;
                let member_data = member.data(&*data).map_err(parse_error)?;
                // Archives also hold files that are not objects (an rlib's metadata): skip them.
                if let Ok(file) = object::File::parse(member_data) {
                    symbols.add_file(&file);
                }
            }
        } else {
            let file = object::File::parse(&*data).map_err(parse_error)?;
            symbols.add_file(&file);
        }
        Ok(symbols)
    }

    fn add_file(&mut self, file: &object::File<'_>) {
        let mach_o = file.format() == BinaryFormat::MachO;
        for symbol in file.symbols().chain(file.dynamic_symbols()) {
            let Ok(raw) = symbol.name() else { continue };
            // Mach-O puts an underscore before every C name.
            let raw = if mach_o {
                raw.strip_prefix('_').unwrap_or(raw)
            } else {
                raw
            };
            if raw.is_empty() {
                continue;
            }
            let presence = if symbol.is_undefined() {
                Presence::Imported
            } else {
                Presence::Defined
            };
            let name = match rustc_demangle::try_demangle(raw) {
                Ok(demangled) => format!("{demangled:#}"),
                Err(_) => raw.to_owned(),
            };
            let entry = self.symbols.entry(name).or_insert(presence);
            *entry = (*entry).max(presence);
        }
    }

    /// How `name` appears. A Rust allocator shim matches with or without the `__rustc::` path
    /// that Rust 1.87 added, so `"__rust_alloc"` finds `__rustc::__rust_alloc`.
    ///
    /// ```
    /// use ch03_probe::symbols::{ArtifactSymbols, Presence};
    ///
    /// let exe = std::env::current_exe().expect("the example's path");
    /// let symbols = ArtifactSymbols::read(&exe).expect("an executable");
    /// // Rust 1.87 and later: the shim is `__rustc::__rust_alloc`; both spellings find it.
    /// assert_eq!(symbols.presence("__rust_alloc"), Presence::Defined);
    /// assert_eq!(symbols.presence("no_such_symbol_anywhere"), Presence::Absent);
    /// ```
    pub fn presence(&self, name: &str) -> Presence {
        let plain = self.symbols.get(name).copied();
        let shim = self.symbols.get(&format!("__rustc::{name}")).copied();
        plain.max(shim).unwrap_or(Presence::Absent)
    }

    /// Every symbol name, demangled.
    ///
    /// ```
    /// let exe = std::env::current_exe().expect("the example's path");
    /// let symbols = ch03_probe::symbols::ArtifactSymbols::read(&exe).expect("an executable");
    /// assert!(symbols.names().any(|name| name == "main"), "an executable has `main`");
    /// ```
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.symbols.keys().map(String::as_str)
    }
}

/// What `cargo run -q -p ch03-probe --bin probe-symbols -- <paths>` prints, after that command
/// line (as `$ cargo run ...`): for a test that records it without building `probe-symbols`.
///
/// ```
/// let exe = std::env::current_exe().expect("the example's path");
/// let exe = exe.to_str().expect("a UTF-8 path");
/// let transcript = ch03_probe::symbols::probe_symbols_transcript(&[exe]).expect("readable");
/// let first = transcript.lines().next().unwrap_or_default();
/// assert_eq!(first, format!("$ cargo run -q -p ch03-probe --bin probe-symbols -- {exe}"));
/// ```
pub fn probe_symbols_transcript(paths: &[&str]) -> Result<String, SymbolError> {
    let mut transcript = format!(
        "$ cargo run -q -p ch03-probe --bin probe-symbols -- {}\n",
        paths.join(" ")
    );
    for path in paths {
        transcript.push_str(&telling_table(path)?);
    }
    Ok(transcript)
}

/// The artifact at `path` and how it carries each of the [`TELLING_SYMBOLS`], as `probe-symbols`
/// prints it: the path on one line, then one indented line per symbol with its meaning.
///
/// ```
/// let exe = std::env::current_exe().expect("the example's path");
/// let table = ch03_probe::symbols::telling_table(&exe).expect("an executable");
/// assert_eq!(table.lines().count(), 5, "the path, then one line per telling symbol");
/// assert!(table.contains("__rdl_alloc   defined"), "{table}");
/// ```
pub fn telling_table(path: impl AsRef<Path>) -> Result<String, SymbolError> {
    let path = path.as_ref();
    let symbols = ArtifactSymbols::read(path)?;
    let mut table = format!("{}\n", path.display());
    for (name, meaning) in TELLING_SYMBOLS {
        let presence = symbols.presence(name).to_string();
        table.push_str(&format!("  {name:<13} {presence:<8}  {meaning}\n"));
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_says_to_build_it() {
        let err = ArtifactSymbols::read("no/such/artifact").unwrap_err();
        assert!(
            err.to_string().contains("build the artifact first"),
            "{err}"
        );
    }

    #[test]
    fn a_text_file_is_not_an_artifact() {
        let err =
            ArtifactSymbols::read(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap_err();
        assert!(err.to_string().contains("is not an executable"), "{err}");
    }

    #[test]
    fn shims_match_with_and_without_the_rustc_path() {
        let mut symbols = ArtifactSymbols::default();
        symbols
            .symbols
            .insert("__rustc::__rust_alloc".into(), Presence::Defined);
        symbols.symbols.insert("malloc".into(), Presence::Imported);
        assert_eq!(symbols.presence("__rust_alloc"), Presence::Defined);
        assert_eq!(symbols.presence("malloc"), Presence::Imported);
        assert_eq!(symbols.presence("__rdl_alloc"), Presence::Absent);
    }
}
