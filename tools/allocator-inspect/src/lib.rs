//! Which allocator an ELF artifact carries, and whether a program can `dlopen` it.
//!
//! [`inspect`] reads one file (an executable, a shared library, or an `ar` archive such as a
//! `staticlib`'s `.a` or an `.rlib`) and returns an [`Inspection`]: the evidence (symbols, ELF
//! flags) and a [`Verdict`] drawn from it. The symbols come from the probe of chapter 3
//! ([`ch03_probe::symbols`]), the static TLS facts from its [`ch03_probe::tls`] reader.
//!
//! Symbols tell how an artifact was linked, not who serves an allocation at run time: chapter 3's
//! probe measures that. A stripped file keeps only its dynamic symbols, and link-time optimisation
//! can inline Rust's allocator shim away; the inspection then says what it could not see.

use std::fmt;
use std::path::{Path, PathBuf};

use ch03_probe::symbols::{ArtifactSymbols, Presence, SymbolError};
use ch03_probe::tls::ThreadLocalStorage;
use object::elf::{DF_1_PIE, DT_FLAGS_1, ET_DYN, ET_EXEC, PT_INTERP};
use object::read::archive::ArchiveFile;
use object::read::elf::{Dyn, ElfFile64, FileHeader, ProgramHeader};
use object::{Endianness, FileKind, Object, ObjectSymbol};

/// The spare static TLS that glibc keeps for libraries loaded with `dlopen`, with its default
/// tunables: 192 × (nns − 1) + 144 × nns + optional_static_tls = 192 × 3 + 144 × 4 + 512
/// (chapter 11 measures it).
// ANCHOR: spare
pub const GLIBC_DEFAULT_SPARE_STATIC_TLS: u64 = 192 * (4 - 1) + 144 * 4 + 512;
// ANCHOR_END: spare

/// What kind of file was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An executable; `interpreter` is false for a static executable (no dynamic loader).
    Executable { pie: bool, interpreter: bool },
    /// A shared library (`.so`).
    SharedLibrary,
    /// A relocatable object file (`.o`).
    Object,
    /// An `ar` archive: a `staticlib`'s `.a`, or an `.rlib` (it holds `lib.rmeta`).
    Archive { rlib: bool, members: usize },
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Executable { pie, interpreter } => write!(
                f,
                "ELF executable{}, {}",
                if *pie { " (PIE)" } else { "" },
                if *interpreter {
                    "dynamically linked"
                } else {
                    "statically linked"
                }
            ),
            Kind::SharedLibrary => f.write_str("ELF shared library"),
            Kind::Object => f.write_str("ELF relocatable object"),
            // Not the member count: it follows how rustc split the code (incremental or not).
            Kind::Archive { rlib: true, .. } => f.write_str("Rust library (.rlib)"),
            Kind::Archive { rlib: false, .. } => f.write_str("static archive (.a)"),
        }
    }
}

/// Who serves Rust's allocations (`Box`, `Vec`, `String`), as far as the symbols tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustAllocator {
    /// No Rust allocator shim and no other Rust runtime symbol.
    NoRust,
    /// Rust code that only calls `__rust_alloc`: the allocator is chosen where it is linked
    /// (an `.rlib`, or an object file).
    ChosenWhenLinked,
    /// No `#[global_allocator]`: std's default (`__rdl_alloc`), which calls the C `malloc`.
    SystemDefault,
    /// A `#[global_allocator]` that is tikv-jemallocator's prefixed jemalloc.
    Jemalloc,
    /// A `#[global_allocator]` that is mimalloc.
    Mimalloc,
    /// The shim is there without std's default behind it and without jemalloc or mimalloc: a
    /// `#[global_allocator]` that is `System` or one of its own, or std's default inlined by
    /// link-time optimisation (`lto = true` keeps no `__rdl_alloc`).
    Declared,
    /// No shim here, but Rust's std imported: the allocator is in the Rust `dylib` it links
    /// (the toolchain's `rustc` and `librustc_driver`, chapter 10's host).
    InRustDylib,
    /// Rust without a visible shim: stripped, or inlined away by link-time optimisation.
    Unknown,
}

impl fmt::Display for RustAllocator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RustAllocator::NoRust => "none",
            RustAllocator::ChosenWhenLinked => "chosen at link",
            RustAllocator::SystemDefault => "System (default)",
            RustAllocator::Jemalloc => "jemalloc",
            RustAllocator::Mimalloc => "mimalloc",
            RustAllocator::Declared => "System or custom",
            RustAllocator::InRustDylib => "in the Rust dylib it links",
            RustAllocator::Unknown => "unknown",
        })
    }
}

/// Who serves C's `malloc` in the artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CMalloc {
    /// Not used.
    Unused,
    /// Imported: the C library's (glibc on a GNU system), or whatever the process preloads.
    Imported,
    /// jemalloc built unprefixed defines it (`malloc` and `mallctl`).
    UnprefixedJemalloc,
    /// mimalloc built to override it (`malloc` and `mi_malloc`).
    Mimalloc,
    /// musl's own `malloc`, linked in.
    Musl,
    /// glibc's own `malloc`, linked in (a static glibc executable).
    Glibc,
    /// Defined by something this tool does not recognise.
    OtherDefined,
}

impl fmt::Display for CMalloc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CMalloc::Unused => "unused",
            CMalloc::Imported => "imported",
            CMalloc::UnprefixedJemalloc => "jemalloc (unprefixed)",
            CMalloc::Mimalloc => "mimalloc (override)",
            CMalloc::Musl => "musl (linked in)",
            CMalloc::Glibc => "glibc (linked in)",
            CMalloc::OtherDefined => "other (defined)",
        })
    }
}

/// Whether a shared library can be loaded with `dlopen` after the program started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dlopen {
    /// No `DF_STATIC_TLS` flag: it needs no room in the static TLS block.
    Safe,
    /// Flagged, but its TLS block fits into glibc's default spare room, unless other libraries
    /// loaded with `dlopen` took that room first.
    FitsDefaultSpare,
    /// Flagged, and its TLS block is larger than glibc's default spare room.
    Fails,
}

/// What [`inspect`] concludes, from the evidence in [`Inspection`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub rust: RustAllocator,
    pub malloc: CMalloc,
    /// Only for shared libraries.
    pub dlopen: Option<Dlopen>,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // std's default calls `malloc`, so "malloc" says who serves Rust too.
        write!(f, "Rust: {}; malloc: {}", self.rust, self.malloc)?;
        if let Some(dlopen) = self.dlopen {
            f.write_str(match dlopen {
                Dlopen::Safe => "; dlopen: safe",
                Dlopen::FitsDefaultSpare => "; dlopen: risky",
                Dlopen::Fails => "; dlopen: fails",
            })?;
        }
        Ok(())
    }
}

/// Everything read from one file, and the verdict.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub path: PathBuf,
    pub kind: Kind,
    /// Whether the file has a full symbol table (`.symtab`); without it only dynamic symbols
    /// are read (a stripped file).
    pub symbol_table: bool,
    /// Each telling symbol seen, with how it appears.
    pub symbols: Vec<(&'static str, Presence)>,
    /// For an archive: what the member that defines `__rust_alloc` allocates with.
    pub shim_calls: Option<Vec<String>>,
    /// The types with a `GlobalAlloc::alloc` defined in the file (debug builds keep them), or,
    /// in an archive, called by the shim.
    pub global_alloc_impls: Vec<String>,
    /// The static TLS facts of an ELF executable or shared library.
    pub tls: Option<ThreadLocalStorage>,
    /// The version string jemalloc's code embeds (`5.3.1-0-g<commit>`), when the file holds it:
    /// jemalloc is linked in, whether or not it serves anything.
    pub jemalloc_version: Option<String>,
    pub verdict: Verdict,
}

/// The symbols the verdict is drawn from. Rust shims match with or without `__rustc::`.
const EVIDENCE: [&str; 16] = [
    "__rust_alloc",
    "__rdl_alloc",
    "__rg_alloc",
    "rust_begin_unwind",
    "rust_eh_personality",
    "_rjem_malloc",
    "_rjem_mallctl",
    "mallctl",
    "mi_malloc",
    "mi_malloc_aligned",
    "_mi_malloc_generic",
    "malloc",
    "__libc_malloc",
    "__libc_malloc_impl",
    "__malloc_donate",
    "__rust_no_alloc_shim_is_unstable_v2",
];

/// Why a file could not be inspected. Each message names the problem and what to do.
#[derive(Debug)]
pub enum InspectError {
    NotFound(PathBuf),
    Directory(PathBuf),
    Unreadable(PathBuf, std::io::Error),
    NotAnObject(PathBuf),
    Unsupported(PathBuf, &'static str),
    Malformed(PathBuf, String),
}

impl fmt::Display for InspectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InspectError::NotFound(path) => write!(
                f,
                "{}: no such file; build it first, or check the path",
                path.display()
            ),
            InspectError::Directory(path) => {
                write!(f, "{}: is a directory; give a file in it", path.display())
            }
            InspectError::Unreadable(path, err) => write!(
                f,
                "{}: cannot read it ({err}); check its permissions",
                path.display()
            ),
            InspectError::NotAnObject(path) => write!(
                f,
                "{}: not an object file or archive; give a built file",
                path.display()
            ),
            InspectError::Unsupported(path, format) => write!(
                f,
                "{}: a {format} file; this tool reads 64-bit ELF files and archives",
                path.display()
            ),
            InspectError::Malformed(path, err) => write!(
                f,
                "{}: cannot be parsed ({err}); is it truncated?",
                path.display()
            ),
        }
    }
}

impl std::error::Error for InspectError {}

fn malformed(path: &Path, err: impl fmt::Display) -> InspectError {
    InspectError::Malformed(path.to_owned(), err.to_string())
}

fn from_symbol_error(path: &Path, err: SymbolError) -> InspectError {
    match err {
        SymbolError::Read { source, .. } => InspectError::Unreadable(path.to_owned(), source),
        SymbolError::Parse { source, .. } => malformed(path, source),
    }
}

/// Reads the file at `path` and draws the verdict.
pub fn inspect(path: impl AsRef<Path>) -> Result<Inspection, InspectError> {
    let path = path.as_ref();
    let data = read(path)?;
    let file_kind = FileKind::parse(&*data).map_err(|_| InspectError::NotAnObject(path.into()))?;
    let (kind, symbol_table) = match file_kind {
        FileKind::Elf64 => elf_kind(&data).map_err(|err| malformed(path, err))?,
        FileKind::Archive => (
            archive_kind(&data).map_err(|err| malformed(path, err))?,
            true,
        ),
        other => {
            return Err(InspectError::Unsupported(
                path.to_owned(),
                format_name(other),
            ));
        }
    };
    let all = ArtifactSymbols::read(path).map_err(|err| from_symbol_error(path, err))?;
    let symbols: Vec<(&'static str, Presence)> = EVIDENCE
        .iter()
        .map(|name| (*name, all.presence(name)))
        .filter(|(_, presence)| *presence != Presence::Absent)
        .collect();
    // In an archive every member's symbols are merged, std's `__rdl_alloc` among them: what
    // the member that defines the shim calls is the evidence there.
    let shim_calls = match kind {
        Kind::Archive { .. } => shim_calls(&data).map_err(|err| malformed(path, err))?,
        _ => None,
    };
    let global_alloc_impls = match &shim_calls {
        Some(calls) => calls.iter().filter_map(|c| alloc_impl(c)).collect(),
        None => global_alloc_impls(&all),
    };
    // A stripped Rust program still holds the paths of std's sources in its panic messages.
    let rust_text = !symbol_table && contains(&data, b"/rustc/");
    let tls = match kind {
        Kind::Executable { .. } | Kind::SharedLibrary => {
            Some(ThreadLocalStorage::read(path).map_err(|err| from_symbol_error(path, err))?)
        }
        Kind::Object | Kind::Archive { .. } => None,
    };
    let verdict = judge(
        &all,
        &kind,
        shim_calls.as_deref(),
        &global_alloc_impls,
        tls,
        rust_text,
    );
    Ok(Inspection {
        path: path.to_owned(),
        kind,
        symbol_table,
        symbols,
        shim_calls,
        global_alloc_impls,
        tls,
        jemalloc_version: jemalloc_version(&data),
        verdict,
    })
}

// ANCHOR: jemalloc_version
/// The first string in `data` shaped like jemalloc's version, `X.Y.Z-N-g` and the 40
/// hex digits of its git commit, ended by a NUL: jemalloc keeps it in its read-only
/// data for its `version` control and its statistics printout.
pub fn jemalloc_version(data: &[u8]) -> Option<String> {
    let hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
    let mut from = 0;
    while let Some(at) = data[from..].windows(2).position(|w| w == b"-g") {
        let g = from + at;
        from = g + 2;
        let Some(commit) = data.get(g + 2..g + 42) else {
            break;
        };
        if !commit.iter().all(hex) || data.get(g + 42) != Some(&0) {
            continue;
        }
        // Back over the commit count and its dash, then over the dotted version.
        let count = data[..g]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let dash = g - count;
        if count == 0 || dash == 0 || data[dash - 1] != b'-' {
            continue;
        }
        let start = dash
            - 1
            - data[..dash - 1]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_digit() || **b == b'.')
                .count();
        let version = &data[start..dash - 1];
        let dots = version.iter().filter(|b| **b == b'.').count();
        if dots == 2
            && version.first().is_some_and(u8::is_ascii_digit)
            && start > 0
            && data[start - 1] == 0
        {
            return String::from_utf8(data[start..g + 42].to_vec()).ok();
        }
    }
    None
}
// ANCHOR_END: jemalloc_version

fn read(path: &Path) -> Result<Vec<u8>, InspectError> {
    let metadata = std::fs::metadata(path).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => InspectError::NotFound(path.to_owned()),
        _ => InspectError::Unreadable(path.to_owned(), err),
    })?;
    if metadata.is_dir() {
        return Err(InspectError::Directory(path.to_owned()));
    }
    std::fs::read(path).map_err(|err| InspectError::Unreadable(path.to_owned(), err))
}

fn format_name(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Elf32 => "32-bit ELF",
        FileKind::MachO32 | FileKind::MachO64 | FileKind::MachOFat32 | FileKind::MachOFat64 => {
            "Mach-O"
        }
        FileKind::DyldCache => "dyld cache",
        FileKind::Pe32 | FileKind::Pe64 => "PE (Windows)",
        FileKind::Coff | FileKind::CoffBig | FileKind::CoffImport => "COFF (Windows)",
        FileKind::Xcoff32 | FileKind::Xcoff64 => "XCOFF (AIX)",
        _ => "non-ELF",
    }
}

/// The kind of a 64-bit ELF file, and whether it has a `.symtab`.
fn elf_kind(data: &[u8]) -> object::Result<(Kind, bool)> {
    let file = ElfFile64::<Endianness>::parse(data)?;
    let endian = file.endian();
    let mut interpreter = false;
    let mut pie_flag = false;
    for segment in file.elf_program_headers() {
        if segment.p_type(endian) == PT_INTERP {
            interpreter = true;
        }
        for entry in segment.dynamic(endian, data)?.unwrap_or_default() {
            if entry.tag(endian) == DT_FLAGS_1 && entry.val(endian) & u64::from(DF_1_PIE) != 0 {
                pie_flag = true;
            }
        }
    }
    let kind = match file.elf_header().e_type(endian) {
        ET_EXEC => Kind::Executable {
            pie: false,
            interpreter,
        },
        // A position-independent executable is ET_DYN too: it has a loader to run it, or the
        // PIE flag when it is static-pie.
        ET_DYN if interpreter || pie_flag => Kind::Executable {
            pie: true,
            interpreter,
        },
        ET_DYN => Kind::SharedLibrary,
        _ => Kind::Object,
    };
    Ok((kind, file.section_by_name(".symtab").is_some()))
}

fn archive_kind(data: &[u8]) -> object::Result<Kind> {
    let archive = ArchiveFile::parse(data)?;
    let mut members = 0;
    let mut rlib = false;
    for member in archive.members() {
        let member = member?;
        members += 1;
        rlib |= member.name() == b"lib.rmeta";
    }
    Ok(Kind::Archive { rlib, members })
}

/// `X` when `name` is `<X as core::alloc::global::GlobalAlloc>::alloc`.
fn alloc_impl(name: &str) -> Option<String> {
    name.strip_prefix('<')?
        .strip_suffix(" as core::alloc::global::GlobalAlloc>::alloc")
        .map(str::to_owned)
}

/// `X` for every `<X as core::alloc::global::GlobalAlloc>::alloc` defined in the file.
fn global_alloc_impls(symbols: &ArtifactSymbols) -> Vec<String> {
    symbols
        .names()
        .filter(|name| symbols.presence(name) == Presence::Defined)
        .filter_map(alloc_impl)
        .collect()
}

/// Whether the file calls into a Rust std it does not contain (a Rust `dylib`'s).
fn std_imported(symbols: &ArtifactSymbols) -> bool {
    symbols
        .names()
        .any(|name| name.starts_with("std::") && symbols.presence(name) == Presence::Imported)
}

fn contains(data: &[u8], needle: &[u8]) -> bool {
    data.windows(needle.len()).any(|window| window == needle)
}

fn demangled(raw: &str) -> String {
    match rustc_demangle::try_demangle(raw) {
        Ok(name) => format!("{name:#}"),
        Err(_) => raw.to_owned(),
    }
}

fn is_shim(name: &str, shim: &str) -> bool {
    name == shim || name.strip_prefix("__rustc::") == Some(shim)
}

/// In an archive, what the member that defines `__rust_alloc` allocates with: `__rdl_alloc`
/// (std's default), `__rg_alloc`, or a `GlobalAlloc::alloc`, called or defined in the same
/// member. `None` without such a member.
fn shim_calls(data: &[u8]) -> object::Result<Option<Vec<String>>> {
    let archive = ArchiveFile::parse(data)?;
    for member in archive.members() {
        let Ok(file) = object::File::parse(member?.data(data)?) else {
            continue;
        };
        let names = |undefined: bool| {
            file.symbols()
                .filter(move |symbol| symbol.is_undefined() == undefined)
                .filter_map(|symbol| symbol.name().ok().map(demangled))
        };
        if !names(false).any(|name| is_shim(&name, "__rust_alloc")) {
            continue;
        }
        // Its calls, and the impls it holds itself when one codegen unit has both.
        let calls = names(true)
            .chain(names(false))
            .filter(|name| {
                is_shim(name, "__rdl_alloc")
                    || is_shim(name, "__rg_alloc")
                    || alloc_impl(name).is_some()
            })
            .collect();
        return Ok(Some(calls));
    }
    Ok(None)
}

// ANCHOR: judge
fn judge(
    symbols: &ArtifactSymbols,
    kind: &Kind,
    shim_calls: Option<&[String]>,
    impls: &[String],
    tls: Option<ThreadLocalStorage>,
    rust_text: bool,
) -> Verdict {
    let defined = |name| symbols.presence(name) == Presence::Defined;
    let seen = |name| symbols.presence(name) != Presence::Absent;
    let mimalloc = ["mi_malloc", "mi_malloc_aligned", "_mi_malloc_generic"]
        .into_iter()
        .any(defined);
    let malloc = match symbols.presence("malloc") {
        Presence::Absent => CMalloc::Unused,
        Presence::Imported => CMalloc::Imported,
        Presence::Defined if defined("mallctl") => CMalloc::UnprefixedJemalloc,
        Presence::Defined if mimalloc => CMalloc::Mimalloc,
        Presence::Defined if defined("__libc_malloc_impl") => CMalloc::Musl,
        Presence::Defined if defined("__libc_malloc") => CMalloc::Glibc,
        Presence::Defined => CMalloc::OtherDefined,
    };
    let named = |ty: &str| impls.iter().any(|i| i.contains(ty));
    let rust_runtime = rust_text
        || ["rust_begin_unwind", "rust_eh_personality"]
            .into_iter()
            .any(seen);
    let calls = |shim| shim_calls.map(|all| all.iter().any(|c| is_shim(c, shim)));
    let calls_default = calls("__rdl_alloc");
    // If the shim's calls cannot be read: std's default is there, and no declared one.
    let rdl_only = defined("__rdl_alloc") && !defined("__rg_alloc");
    let no_impl = impls.is_empty();
    use RustAllocator as Rust;
    let rust = match symbols.presence("__rust_alloc") {
        // Only called: in an rlib or an object file, the final link picks the
        // allocator; in a linked file, a Rust dylib it loads provides the shim.
        Presence::Imported if matches!(kind, Kind::Archive { .. } | Kind::Object) => {
            Rust::ChosenWhenLinked
        }
        Presence::Imported => Rust::InRustDylib,
        Presence::Absent if std_imported(symbols) => Rust::InRustDylib,
        Presence::Absent if rust_runtime => Rust::Unknown,
        Presence::Absent => Rust::NoRust,
        // std's default, the shim's target when no #[global_allocator] exists.
        Presence::Defined if calls_default == Some(true) => Rust::SystemDefault,
        Presence::Defined if calls_default.is_none() && rdl_only => Rust::SystemDefault,
        Presence::Defined if named("tikv_jemallocator::Jemalloc") => Rust::Jemalloc,
        Presence::Defined if named("mimalloc::MiMalloc") => Rust::Mimalloc,
        // Release builds inline the impls: fall back on what the file defines.
        Presence::Defined if no_impl && defined("_rjem_malloc") => Rust::Jemalloc,
        Presence::Defined if no_impl && mimalloc => Rust::Mimalloc,
        Presence::Defined => Rust::Declared,
    };
    const DEFAULT_SPARE: u64 = GLIBC_DEFAULT_SPARE_STATIC_TLS;
    let dlopen = match (kind, tls) {
        (Kind::SharedLibrary, Some(tls)) if !tls.static_tls => Some(Dlopen::Safe),
        (Kind::SharedLibrary, Some(tls)) if tls.block_size <= DEFAULT_SPARE => {
            Some(Dlopen::FitsDefaultSpare)
        }
        (Kind::SharedLibrary, Some(_)) => Some(Dlopen::Fails),
        _ => None,
    };
    Verdict {
        rust,
        malloc,
        dlopen,
    }
}
// ANCHOR_END: judge

impl Dlopen {
    fn name(self) -> &'static str {
        match self {
            Dlopen::Safe => "safe",
            Dlopen::FitsDefaultSpare => "risky",
            Dlopen::Fails => "fails",
        }
    }
}

/// `text` as a JSON string.
pub fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_strings<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    let items: Vec<String> = items.into_iter().map(|s| json_string(s)).collect();
    format!("[{}]", items.join(","))
}

impl Inspection {
    // ANCHOR: json
    /// The inspection as one line of JSON, for scripts: the verdict's three parts as the words
    /// the text output uses, and the evidence.
    pub fn to_json(&self) -> String {
        let symbols: Vec<String> = self
            .symbols
            .iter()
            .map(|(name, presence)| format!("{}:\"{presence}\"", json_string(name)))
            .collect();
        let tls = self.tls.map_or("null".to_owned(), |tls| {
            format!(
                "{{\"static_tls\":{},\"block_size\":{}}}",
                tls.static_tls, tls.block_size
            )
        });
        format!(
            "{{\"path\":{},\"kind\":{},\"verdict\":{},\"rust\":{},\"malloc\":{},\
             \"dlopen\":{},\"symbol_table\":{},\"symbols\":{{{}}},\"global_alloc_impls\":{},\
             \"shim_calls\":{},\"tls\":{tls},\"jemalloc_version\":{}}}",
            json_string(&self.path.to_string_lossy()),
            json_string(&self.kind.to_string()),
            json_string(&self.verdict.to_string()),
            json_string(&self.verdict.rust.to_string()),
            json_string(&self.verdict.malloc.to_string()),
            self.verdict
                .dlopen
                .map_or("null".to_owned(), |d| json_string(d.name())),
            self.symbol_table,
            symbols.join(","),
            json_strings(&self.global_alloc_impls),
            self.shim_calls
                .as_ref()
                .map_or("null".to_owned(), json_strings),
            self.jemalloc_version
                .as_deref()
                .map_or("null".to_owned(), json_string),
        )
    }
    // ANCHOR_END: json
}

/// `  <label> a, b, c`, wrapped before 88 columns.
fn write_wrapped(f: &mut fmt::Formatter<'_>, label: &str, names: &[&str]) -> fmt::Result {
    let Some((first, rest)) = names.split_first() else {
        return Ok(());
    };
    let mut line = format!("  {label} {first}");
    for name in rest {
        if line.len() + 2 + name.len() > 88 {
            writeln!(f, "{line},")?;
            line = format!("  {:width$} {name}", "", width = label.len());
        } else {
            line.push_str(", ");
            line.push_str(name);
        }
    }
    writeln!(f, "{line}")
}

impl fmt::Display for Inspection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "verdict: {}", self.verdict)?;
        writeln!(f, "  file:     {}", self.path.display())?;
        writeln!(f, "  kind:     {}", self.kind)?;
        if !self.symbol_table {
            writeln!(
                f,
                "  symbols:  dynamic only (stripped): Rust's shim is not visible"
            )?;
        }
        if let Some(calls) = &self.shim_calls {
            let calls: Vec<String> = calls
                .iter()
                .map(|call| match alloc_impl(call) {
                    Some(ty) => format!("<{ty} as GlobalAlloc>::alloc"),
                    None => call.clone(),
                })
                .collect();
            writeln!(f, "  shim:     __rust_alloc uses {}", calls.join(", "))?;
        }
        for (label, wanted) in [
            ("defined: ", Presence::Defined),
            ("imported:", Presence::Imported),
        ] {
            let names: Vec<&str> = self
                .symbols
                .iter()
                .filter(|(_, presence)| *presence == wanted)
                .map(|(name, _)| *name)
                .collect();
            write_wrapped(f, label, &names)?;
        }
        for ty in &self.global_alloc_impls {
            writeln!(f, "  impl:     GlobalAlloc for {ty}")?;
        }
        if let Some(version) = &self.jemalloc_version {
            writeln!(f, "  jemalloc: {version} (its version string)")?;
        }
        if self.verdict.rust == RustAllocator::Declared {
            writeln!(
                f,
                "  note:     no __rdl_alloc: a #[global_allocator] (System or custom),\n            \
                 or std's default inlined by LTO"
            )?;
        }
        if let Some(tls) = self.tls {
            writeln!(
                f,
                "  tls:      STATIC_TLS {}, TLS block {} bytes",
                if tls.static_tls { "set" } else { "not set" },
                tls.block_size
            )?;
        }
        match self.verdict.dlopen {
            Some(Dlopen::Fails) => writeln!(
                f,
                "  dlopen:   {} > {GLIBC_DEFAULT_SPARE_STATIC_TLS} bytes of glibc's default \
                 spare static TLS.\n            Fix: build its TLS for the general-dynamic \
                 model (jemalloc:\n            disable_initial_exec_tls), or start the host \
                 with\n            GLIBC_TUNABLES=glibc.rtld.optional_static_tls={} \
                 (chapter 11)",
                self.tls.map_or(0, |t| t.block_size),
                self.tls.map_or(0, |t| t.block_size),
            )?,
            Some(Dlopen::FitsDefaultSpare) => writeln!(
                f,
                "  dlopen:   {} <= {GLIBC_DEFAULT_SPARE_STATIC_TLS} bytes of glibc's default \
                 spare static TLS,\n            unless libraries loaded before took it \
                 (chapter 11)",
                self.tls.map_or(0, |t| t.block_size),
            )?,
            Some(Dlopen::Safe) | None => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jemalloc_version_is_found_only_in_its_exact_shape() {
        let commit = "81034ce1f1373e37dc865038e1bc8eeecf559ce8";
        let data = format!("x\0abc-g{commit}\0\05.3.1-0-g{commit}\0tail");
        assert_eq!(
            jemalloc_version(data.as_bytes()),
            Some(format!("5.3.1-0-g{commit}"))
        );
        for wrong in [
            format!("\05.3-0-g{commit}\0"),
            format!("\05.3.1-g{commit}\0"),
            format!("\05.3.1-0-g{}\0", &commit[..39]),
            format!("\0v5.3.1-0-g{commit}\0"),
        ] {
            assert_eq!(jemalloc_version(wrong.as_bytes()), None, "in {wrong:?}");
        }
    }

    #[test]
    fn json_strings_escape_quotes_backslashes_and_control_characters() {
        assert_eq!(json_string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\u000ad\"");
    }

    #[test]
    fn the_default_spare_is_the_sum_chapter_11_measures() {
        assert_eq!(GLIBC_DEFAULT_SPARE_STATIC_TLS, 1664);
    }

    #[test]
    fn the_verdict_line_names_what_serves_each_side() {
        let verdict = Verdict {
            rust: RustAllocator::SystemDefault,
            malloc: CMalloc::UnprefixedJemalloc,
            dlopen: Some(Dlopen::Fails),
        };
        assert_eq!(
            verdict.to_string(),
            "Rust: System (default); malloc: jemalloc (unprefixed); dlopen: fails"
        );
    }
}
