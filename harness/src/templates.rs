//! Templates: crates under `examples/` that readers copy out of the repository. Each must build and
//! pass its tests on its own, so the check copies it to a directory outside the repository and
//! runs `cargo test --locked` there, with its own committed `Cargo.lock`.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::separate_workspace::{CargoRun, SeparateWorkspace};

/// What in a template's `Cargo.toml` ties it to this repository: inherited workspace fields
/// (`edition.workspace = true`, `foo = { workspace = true }`) or path dependencies.
pub fn ties_to_the_repository(manifest: &str) -> Vec<String> {
    manifest
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with('#'))
        .filter(|line| {
            line.contains(".workspace = true")
                || line.contains("workspace = true")
                || line.contains("path =")
                || line.contains("path=")
        })
        .map(str::to_owned)
        .collect()
}

/// Copies the template at `dir` out of the repository (into the system's temporary directory,
/// without any `target/`) and runs `cargo test --locked` there. The build goes to the shared
/// target directory, so the copy reuses dependency builds.
/// Panics when the manifest ties the template to the repository or when its tests fail.
pub fn copy_out_and_test(dir: impl AsRef<Path>) -> CargoRun {
    copy_out_and_cargo(dir, &["test"])
}

/// Like [`copy_out_and_test`], with other cargo arguments, for a template that must also be tested
/// another way (`["test", "--features", "jemalloc"]`). `--locked` is added. Each call copies the
/// template to its own directory, so calls may run in parallel.
pub fn copy_out_and_cargo(dir: impl AsRef<Path>, args: &[&str]) -> CargoRun {
    static COPIES: AtomicUsize = AtomicUsize::new(0);
    let dir = crate::repo::root().join(dir);
    let manifest = fs::read_to_string(dir.join("Cargo.toml"))
        .unwrap_or_else(|err| panic!("{} has no readable Cargo.toml: {err}", dir.display()));
    let ties = ties_to_the_repository(&manifest);
    assert!(
        ties.is_empty(),
        "{} is a template, so it must stand alone: no workspace inheritance, no path dependencies. \
         Found:\n{}",
        dir.display(),
        ties.join("\n")
    );
    let name = dir
        .file_name()
        .expect("a template directory has a name")
        .to_string_lossy();
    let copy = std::env::temp_dir()
        .join("allocator-book-templates")
        .join(format!(
            "{name}-{}-{}",
            std::process::id(),
            COPIES.fetch_add(1, Ordering::Relaxed)
        ));
    let _ = fs::remove_dir_all(&copy);
    copy_tree(&dir, &copy);
    let run = SeparateWorkspace::at(&copy).cargo(args).assert_success();
    let _ = fs::remove_dir_all(&copy);
    run
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|err| panic!("cannot create {}: {err}", to.display()));
    let entries =
        fs::read_dir(from).unwrap_or_else(|err| panic!("cannot list {}: {err}", from.display()));
    for entry in entries {
        let entry = entry.expect("a readable directory entry");
        let source: PathBuf = entry.path();
        let target = to.join(entry.file_name());
        if source.is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&source, &target);
            }
        } else {
            fs::copy(&source, &target).unwrap_or_else(|err| {
                panic!(
                    "cannot copy {} to {}: {err}",
                    source.display(),
                    target.display()
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inherited_fields_and_path_dependencies_are_ties() {
        let manifest = "[package]\nedition.workspace = true\n[dependencies]\nprobe = { path = \"../probe\" }\nlibc = { workspace = true }\nserde = \"1\"\n# path = \"in a comment\"\n";
        assert_eq!(
            ties_to_the_repository(manifest),
            [
                "edition.workspace = true",
                "probe = { path = \"../probe\" }",
                "libc = { workspace = true }"
            ]
        );
    }
}
