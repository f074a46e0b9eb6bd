//! Why this listing is a separate workspace, shown in a scratch workspace written under the target
//! directory: two members, one of which switches the unprefixed feature on. Built alone, the other
//! member runs on System; built with the whole workspace, Cargo unifies tikv-jemalloc-sys's
//! features across both members, and the same binary runs on jemalloc.
// Linux with glibc only: reads glibc's counters (`mallinfo2`) to tell which build runs on jemalloc.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::fs;
use std::path::Path;

use book_harness::repo;
use book_harness::separate_workspace::SeparateWorkspace;
use ch03_probe::run::{assert_glibc_served, assert_jemalloc_served, readings_for};

const SIZES: [usize; 3] = [100, 64 << 10, 1 << 20];

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("a file in a directory"))
        .unwrap_or_else(|err| panic!("cannot create the directory of {}: {err}", path.display()));
    fs::write(path, text).unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
}

/// The scratch workspace: `ch08-bystander`, chapter 4's default binary (no `#[global_allocator]`)
/// with the probe, and `ch08-takes-over-malloc`, a library that only asks for the takeover, with
/// the same dependency line as this listing.
fn scratch_workspace() -> SeparateWorkspace {
    let dir = repo::target_dir().join("scratch/ch08-feature-unification");
    let _ = fs::remove_dir_all(&dir);
    let chapter_4 = fs::read_to_string(
        repo::root().join("listings/ch04-default-system/01-default/src/main.rs"),
    )
    .expect("chapter 4's default binary");
    let probe = repo::root().join("crates/ch03-probe");
    // ANCHOR: scratch
    write(
        &dir.join("Cargo.toml"),
        r#"[workspace]
members = ["bystander", "takes-over-malloc"]
resolver = "3"
"#,
    );
    write(
        &dir.join("bystander/Cargo.toml"),
        &format!(
            r#"[package]
name = "ch08-bystander"
version = "0.1.0"
edition = "2024"

[dependencies]
ch03-probe = {{ path = "{}" }}
"#,
            probe.display()
        ),
    );
    write(&dir.join("bystander/src/main.rs"), &chapter_4);
    write(
        &dir.join("takes-over-malloc/Cargo.toml"),
        r#"[package]
name = "ch08-takes-over-malloc"
version = "0.1.0"
edition = "2024"

[target.'cfg(not(target_env = "msvc"))'.dependencies]
tikv-jemallocator = { version = "0.7.0", features = [
    "override_allocator_on_supported_platforms",
] }
"#,
    );
    write(&dir.join("takes-over-malloc/src/lib.rs"), "");
    // ANCHOR_END: scratch
    SeparateWorkspace::generated(&dir, "listings/ch08-taking-over-malloc/01-unprefixed")
}

#[test]
fn a_member_that_enables_the_feature_changes_another_members_allocator() {
    let workspace = scratch_workspace();
    let bystander = workspace.target_dir().join("debug/ch08-bystander");
    // ANCHOR: builds
    workspace
        .cargo(&["build", "-p", "ch08-bystander"])
        .assert_success();
    for r in readings_for(&bystander, &SIZES) {
        assert_glibc_served(&r);
    }
    let together = workspace.cargo(&["build", "--workspace"]).assert_success();
    for r in readings_for(&bystander, &SIZES) {
        assert_jemalloc_served(&r);
    }
    // ANCHOR_END: builds
    // The unified feature set is this listing's own, which its build compiled already.
    assert!(
        !together.compiled("tikv-jemalloc-sys"),
        "jemalloc compiled again:\n{together}"
    );
}
