//! The inspector's verdict on every artifact the book builds: each test builds its artifacts the
//! way the chapter's own tests do (so the build is shared), inspects them, and asserts the
//! verdict. Flipping a listing's allocator flips its verdict here.
// Linux with glibc only: the artifacts are 64-bit ELF files, and the C-host listings are built
// for glibc.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use allocator_inspect::{CMalloc, Dlopen, RustAllocator, Verdict, inspect};
use book_harness::c::RustLibrary;
use book_harness::recorded::Recording;
use book_harness::separate_workspace::SeparateWorkspace;

const EXE: &str = env!("CARGO_BIN_EXE_allocator-inspect");
const RECORDED: &str = "tools/allocator-inspect/recorded";

fn debug(file: &str) -> PathBuf {
    book_harness::repo::target_dir().join("debug").join(file)
}

/// Builds the binaries of a root workspace member, as `cargo build -p <package> --bins`.
fn member_bins(dir: &str) {
    SeparateWorkspace::root_member(dir)
        .cargo(&["build", "--bins"])
        .assert_success();
}

fn ch04() -> &'static [PathBuf; 2] {
    static BUILT: OnceLock<[PathBuf; 2]> = OnceLock::new();
    BUILT.get_or_init(|| {
        member_bins("listings/ch04-default-system/01-default");
        [debug("ch04-default"), debug("explicit-system")]
    })
}

fn ch05() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        member_bins("listings/ch05-switching-to-jemalloc/01-jemalloc");
        debug("ch05-jemalloc")
    })
}

fn ch08() -> &'static [PathBuf; 2] {
    static BUILT: OnceLock<[PathBuf; 2]> = OnceLock::new();
    BUILT.get_or_init(|| {
        SeparateWorkspace::at("listings/ch08-taking-over-malloc/01-unprefixed")
            .cargo(&["build", "--bins"])
            .assert_success();
        [debug("ch08-no-global-allocator"), debug("ch08-c-heap")]
    })
}

fn ch11_default() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        RustLibrary::build("ch11-cdylib-in-a-c-host", "libch11_cdylib_in_a_c_host.so").path
    })
}

fn ch11_dlopen_safe() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        SeparateWorkspace::at("listings/ch11-cdylib-in-a-c-host/02-dlopen-safe-cdylib")
            .cargo(&["build", "--lib"])
            .assert_success();
        debug("libch11_dlopen_safe_cdylib.so")
    })
}

fn ch12() -> &'static [PathBuf; 2] {
    static BUILT: OnceLock<[PathBuf; 2]> = OnceLock::new();
    // With the arguments chapter 12's tests build them with, so that neither rebuilds the other's.
    let build = |package: &str, file: &str| {
        RustLibrary::build_with_rustc_args(package, file, &["--print", "native-static-libs"]).path
    };
    BUILT.get_or_init(|| {
        [
            build(
                "ch12-staticlib-in-a-c-program",
                "libch12_staticlib_in_a_c_program.a",
            ),
            build("ch12-system-staticlib", "libch12_system_staticlib.a"),
        ]
    })
}

fn ch14_mimalloc() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        SeparateWorkspace::at("listings/ch14-benchmarks/01-benchmarks")
            .cargo(&["build", "--bin", "bench-mimalloc"])
            .assert_success();
        debug("bench-mimalloc")
    })
}

fn assert_verdict(path: &Path, rust: RustAllocator, malloc: CMalloc, dlopen: Option<Dlopen>) {
    let inspection = inspect(path).unwrap_or_else(|err| panic!("{err}"));
    let expected = Verdict {
        rust,
        malloc,
        dlopen,
    };
    assert_eq!(
        inspection.verdict,
        expected,
        "expected `{expected}` for {}, saw:\n{inspection}",
        path.display()
    );
}

#[test]
fn the_ch04_binaries_run_on_system() {
    let [default, explicit] = ch04();
    assert_verdict(
        default,
        RustAllocator::SystemDefault,
        CMalloc::Imported,
        None,
    );
    // `static GLOBAL: System` leaves no `__rdl_alloc`: the inspector cannot tell it from a
    // custom allocator, and says so.
    assert_verdict(explicit, RustAllocator::Declared, CMalloc::Imported, None);
}

#[test]
fn the_ch05_binary_runs_on_prefixed_jemalloc() {
    assert_verdict(ch05(), RustAllocator::Jemalloc, CMalloc::Imported, None);
}

#[test]
fn the_ch08_binaries_carry_unprefixed_jemalloc() {
    let [no_global_allocator, c_heap] = ch08();
    assert_verdict(
        no_global_allocator,
        RustAllocator::SystemDefault,
        CMalloc::UnprefixedJemalloc,
        None,
    );
    assert_verdict(
        c_heap,
        RustAllocator::Jemalloc,
        CMalloc::UnprefixedJemalloc,
        None,
    );
}

#[test]
fn the_ch11_default_cdylib_fails_dlopen_and_the_dlopen_safe_one_does_not() {
    assert_verdict(
        ch11_default(),
        RustAllocator::Jemalloc,
        CMalloc::Imported,
        Some(Dlopen::Fails),
    );
    assert_verdict(
        ch11_dlopen_safe(),
        RustAllocator::Jemalloc,
        CMalloc::Imported,
        Some(Dlopen::Safe),
    );
}

#[test]
fn the_ch12_staticlibs_are_told_apart_by_what_the_shim_calls() {
    let [jemalloc, system] = ch12();
    assert_verdict(jemalloc, RustAllocator::Jemalloc, CMalloc::Imported, None);
    assert_verdict(
        system,
        RustAllocator::SystemDefault,
        CMalloc::Imported,
        None,
    );
}

#[test]
fn the_ch14_mimalloc_worker_runs_on_mimalloc() {
    assert_verdict(
        ch14_mimalloc(),
        RustAllocator::Mimalloc,
        CMalloc::Imported,
        None,
    );
}

#[test]
fn the_inspector_itself_runs_on_system_and_installs_without_jemalloc() {
    let inspection = inspect(EXE).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        inspection.verdict.rust,
        RustAllocator::SystemDefault,
        "{inspection}"
    );
    // Built alone, as `cargo install` builds it, its dependency on the probe leaves out the
    // probe's `jemalloc` feature. (In a workspace build another member turns the feature on, and
    // the probe's jemalloc control code may be linked in, unused.)
    let output = std::process::Command::new(book_harness::repo::cargo())
        .args([
            "tree",
            "--locked",
            "-p",
            "allocator-inspect",
            "-e",
            "normal,build",
        ])
        .args(["--prefix", "none"])
        .current_dir(book_harness::repo::root())
        .output()
        .expect("cargo tree runs");
    let tree = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && tree.contains("ch03-probe"),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !tree.contains("jemalloc"),
        "expected no jemalloc crate in the inspector's own build, saw:\n{tree}"
    );
}

#[test]
fn recorded_verdicts_on_the_books_artifacts() {
    let [default, explicit] = ch04();
    let [no_global_allocator, c_heap] = ch08();
    let [jemalloc, system] = ch12();
    // One command per recording, short enough for the book's 88 columns.
    let recordings: [(&str, &[&PathBuf]); 7] = [
        ("ch04", &[default, explicit]),
        ("ch05", &[ch05()]),
        ("ch08", &[no_global_allocator, c_heap]),
        ("ch11-default", &[ch11_default()]),
        ("ch11-dlopen-safe", &[ch11_dlopen_safe()]),
        ("ch12", &[jemalloc]),
        ("ch12-02", &[system]),
    ];
    for (name, paths) in recordings {
        let mut recording = Recording::new(EXE, "allocator-inspect");
        for path in paths {
            recording = recording.arg(&path.to_string_lossy());
        }
        let ran = recording.check(format!("{RECORDED}/{name}.txt"));
        assert!(ran.status.success(), "{}", ran.output);
    }
}

#[test]
fn json_output_carries_the_same_verdict() {
    let output = std::process::Command::new(EXE)
        .arg("--json")
        .arg(ch11_default())
        .arg(ch05())
        .output()
        .expect("the inspector runs");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}: {line}")))
        .collect();
    assert_eq!(
        lines.len(),
        2,
        "expected one JSON line per file, saw:\n{stdout}"
    );
    let (library, binary) = (&lines[0], &lines[1]);
    assert_eq!(library["rust"], "jemalloc", "{library}");
    assert_eq!(library["malloc"], "imported", "{library}");
    assert_eq!(library["dlopen"], "fails", "{library}");
    assert_eq!(library["tls"]["static_tls"], true, "{library}");
    assert_eq!(library["symbols"]["_rjem_malloc"], "defined", "{library}");
    assert_eq!(binary["dlopen"], serde_json::Value::Null, "{binary}");
    assert_eq!(
        binary["verdict"], "Rust: jemalloc; malloc: imported",
        "{binary}"
    );
}

/// The jemalloc version tikv-jemalloc-sys carries, from the build metadata of its version in the
/// root Cargo.lock (`0.7.1+5.3.1-0-g<commit>`).
fn locked_jemalloc_version() -> String {
    let lock = std::fs::read_to_string(book_harness::repo::root().join("Cargo.lock"))
        .expect("the root Cargo.lock");
    let mut lines = lock.lines();
    lines
        .find(|line| *line == "name = \"tikv-jemalloc-sys\"")
        .expect("tikv-jemalloc-sys in Cargo.lock");
    let version = lines.next().expect("its version line");
    version
        .split_once('+')
        .map(|(_, build)| build.trim_end_matches('"').to_owned())
        .unwrap_or_else(|| panic!("expected build metadata in {version}"))
}

#[test]
fn the_jemalloc_version_string_is_the_locked_one_and_absent_from_a_c_program() {
    let found = inspect(ch05()).expect("ch05 inspects").jemalloc_version;
    assert_eq!(
        found,
        Some(locked_jemalloc_version()),
        "expected the version of tikv-jemalloc-sys's jemalloc in chapter 5's binary"
    );
    let dir = book_harness::repo::target_dir().join("tmp");
    std::fs::create_dir_all(&dir).expect("a writable target directory");
    let source = dir.join("inspect-no-jemalloc.c");
    std::fs::write(&source, "int main(void) { return 0; }\n").expect("a writable scratch file");
    let c = book_harness::c::CProgram::new("inspect-no-jemalloc")
        .source(&source)
        .compile();
    let found = inspect(&c).expect("a C program inspects").jemalloc_version;
    assert_eq!(found, None, "expected no jemalloc in a C program of gcc's");
}

#[test]
fn a_staticlib_records_no_native_libraries() {
    let path = &ch12()[0];
    let data = std::fs::read(path).expect("chapter 12's staticlib");
    let archive = object::read::archive::ArchiveFile::parse(&*data).expect("an ar archive");
    for member in archive.members() {
        let member = member.expect("a readable member");
        let name = String::from_utf8_lossy(member.name()).into_owned();
        assert!(
            name.ends_with(".o"),
            "expected only object files in {}, saw the member {name}",
            path.display()
        );
    }
    for needle in [&b"native-static-libs"[..], b"-lgcc_s"] {
        assert!(
            !data.windows(needle.len()).any(|w| w == needle),
            "expected no list of native libraries in {}, saw {}",
            path.display(),
            String::from_utf8_lossy(needle)
        );
    }
}
