//! Paths of the repository that the tests run in.

use std::path::{Path, PathBuf};

/// The repository root: the directory that holds `book.toml` and the workspace `Cargo.toml`.
///
/// The path is the one the harness was compiled in. Cargo does not rebuild a workspace that moved
/// as a whole (its fingerprints hold paths relative to the workspace, and the sources are older
/// than the build), so a test binary built before a move would look in the old place: this
/// panics, saying what to do, instead.
///
/// ```
/// let root = book_harness::repo::root();
/// assert!(root.join("book.toml").is_file(), "{} holds the book", root.display());
/// ```
pub fn root() -> &'static Path {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .expect(
            "the harness crate lives two levels below the repository root (crates/book-harness)",
        );
    assert!(
        root.join("book.toml").is_file(),
        "this test binary was built in {}, which no longer holds the book (was the repository \
         moved, or copied with its target/?); run `cargo clean` and test again",
        root.display()
    );
    root
}

/// The root workspace's target directory (`CARGO_TARGET_DIR` when set, else `<root>/target`).
///
/// Separate workspaces and copied templates build here too. Cargo keeps one build per version,
/// feature set and profile of a dependency, so a separate workspace whose jemalloc has the root's
/// features reuses the root's jemalloc build, and only a genuinely different feature set costs a
/// new one. `cargo test` releases its lock on the directory while tests run (measured with Cargo
/// 1.95), so a test can build into it.
///
/// ```
/// let target = book_harness::repo::target_dir();
/// assert!(target.is_absolute(), "{}", target.display());
/// assert!(target.starts_with(book_harness::repo::root()) || std::env::var_os("CARGO_TARGET_DIR").is_some());
/// ```
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// The `cargo` that runs these tests (Cargo sets `CARGO` for the programs it runs).
///
/// ```
/// let version = std::process::Command::new(book_harness::repo::cargo())
///     .arg("--version")
///     .output()
///     .expect("cargo runs");
/// assert!(String::from_utf8_lossy(&version.stdout).starts_with("cargo "));
/// ```
pub fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// The compiler to run: `RUSTC` when it is set, else `rustc` from `PATH` (the rustup proxy).
///
/// ```
/// let rustc = book_harness::repo::rustc();
/// assert!(rustc.ends_with("rustc") || std::env::var_os("RUSTC").is_some(), "{}", rustc.display());
/// ```
pub fn rustc() -> PathBuf {
    std::env::var_os("RUSTC").map_or_else(|| PathBuf::from("rustc"), PathBuf::from)
}
