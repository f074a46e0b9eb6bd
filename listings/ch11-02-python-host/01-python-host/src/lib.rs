//! Chapter 11's Python host: CPython loads the `cdylib-for-c` template through `ctypes`, and
//! imports a PyO3 extension module on jemalloc (the separate workspace `ch11-02-pyo3-module`).
//! These helpers build both and find the interpreter. The tests need `python3`, so they are
//! ignored by the README's first test command and run by its second.

use std::path::PathBuf;
use std::sync::Mutex;

use book_harness::separate_workspace::SeparateWorkspace;
use book_harness::{repo, tools};

/// Where this listing's recordings live.
///
/// ```
/// let dir = book_harness::repo::root().join(ch11_02_python_host::RECORDED);
/// assert!(dir.is_dir(), "{}", dir.display());
/// ```
pub const RECORDED: &str = "listings/ch11-02-python-host/01-python-host/recorded";
/// The Python scripts, relative to the repository root.
///
/// ```
/// let dir = book_harness::repo::root().join(ch11_02_python_host::PYTHON);
/// assert!(std::fs::read_dir(&dir).expect("the scripts").count() > 0);
/// ```
pub const PYTHON: &str = "listings/ch11-02-python-host/01-python-host/python";
/// The PyO3 module's separate workspace.
///
/// ```
/// let workspace = book_harness::repo::root().join(ch11_02_python_host::MODULE_WORKSPACE);
/// assert!(workspace.join("Cargo.lock").is_file(), "a separate workspace commits its lock");
/// ```
pub const MODULE_WORKSPACE: &str = "listings/ch11-02-python-host/02-pyo3-module";

/// The Python interpreter on `PATH`; panics with the Debian package to install when there is none.
///
/// No example: it needs `python3`, which the README's first test command must not; the ignored
/// tests of this listing call it, and the second command runs them.
pub fn python3() -> PathBuf {
    tools::require("python3", "python3")
}

/// How the module's jemalloc finds its thread-local data.
///
/// ```
/// use ch11_02_python_host::Tls;
///
/// assert_ne!(Tls::InitialExec, Tls::DlopenSafe);
/// assert_eq!(format!("{:?}", Tls::DlopenSafe), "DlopenSafe");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// jemalloc's default, initial-exec: built with `--no-default-features`.
    InitialExec,
    /// `disable_initial_exec_tls`, the module's default feature `dlopen-safe`.
    DlopenSafe,
}

impl Tls {
    fn directory(self) -> &'static str {
        match self {
            Tls::InitialExec => "initial-exec",
            Tls::DlopenSafe => "dlopen-safe",
        }
    }
}

/// Builds the PyO3 module with jemalloc's `tls` model and copies it to
/// `<target>/python-modules/<initial-exec|dlopen-safe>/ch11_pyo3.so`, the name Python imports.
/// Returns that directory. Both builds write the same file in the shared target directory, so
/// they take turns.
///
/// No example: it builds the PyO3 module, which needs `python3`; the second test command runs
/// the tests that call it.
pub fn module_dir(tls: Tls) -> PathBuf {
    static BUILDING: Mutex<()> = Mutex::new(());
    let _turn = BUILDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // PyO3's build script runs the interpreter to learn its version and configuration.
    python3();
    let workspace = SeparateWorkspace::at(MODULE_WORKSPACE);
    let args: &[&str] = match tls {
        Tls::DlopenSafe => &["build", "--lib"],
        Tls::InitialExec => &["build", "--lib", "--no-default-features"],
    };
    workspace.cargo(args).assert_success();
    let built = workspace.target_dir().join("debug").join("libch11_pyo3.so");
    let dir = repo::target_dir()
        .join("python-modules")
        .join(tls.directory());
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|err| panic!("cannot create {}: {err}", dir.display()));
    std::fs::copy(&built, dir.join("ch11_pyo3.so")).unwrap_or_else(|err| {
        panic!(
            "cannot copy {} into {}: {err}",
            built.display(),
            dir.display()
        )
    });
    dir
}

/// Builds the `cdylib-for-c` template (a separate workspace) as it is and returns its library.
///
/// No example: it builds the `cdylib-for-c` template, a separate workspace: seconds to minutes.
pub fn template_library() -> PathBuf {
    let workspace = SeparateWorkspace::at("examples/cdylib-for-c");
    workspace.cargo(&["build", "--lib"]).assert_success();
    workspace
        .target_dir()
        .join("debug")
        .join("libcdylib_for_c.so")
}
