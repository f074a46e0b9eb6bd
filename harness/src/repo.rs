//! Paths of the repository that the tests run in.

use std::path::{Path, PathBuf};

/// The repository root: the directory that holds `book.toml` and the workspace `Cargo.toml`.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the harness crate lives one level below the repository root")
}

/// The root workspace's target directory (`CARGO_TARGET_DIR` when set, else `<root>/target`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// Where separate workspaces and copied templates build. They all share it, so Cargo reuses a
/// jemalloc build whose version, features and profile match instead of compiling it again.
pub fn variants_target_dir() -> PathBuf {
    target_dir().join("variants")
}

/// The `cargo` that runs these tests (Cargo sets `CARGO` for the programs it runs).
pub fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}
