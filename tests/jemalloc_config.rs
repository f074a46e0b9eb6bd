//! The root workspace has one jemalloc configuration: tikv-jemallocator's defaults plus `stats`,
//! prefixed. Cargo unifies features across every package of a build, so one member switching on
//! `unprefixed_malloc_on_supported_platforms` or `disable_initial_exec_tls` would change every
//! other member's jemalloc; such a listing must be a separate workspace instead.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

/// The features Cargo resolved for `package` across the whole workspace (all targets, all
/// platforms), from `cargo metadata`.
fn resolved_features(package: &str) -> BTreeSet<String> {
    let output = Command::new(book_harness::repo::cargo())
        .args([
            "metadata",
            "--locked",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(book_harness::repo::root().join("Cargo.toml"))
        .output()
        .expect("cannot run cargo metadata");
    assert!(
        output.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let nodes = metadata["resolve"]["nodes"]
        .as_array()
        .expect("metadata has a resolve graph");
    let prefix = format!("registry+https://github.com/rust-lang/crates.io-index#{package}@");
    let matching: Vec<&Value> = nodes
        .iter()
        .filter(|node| {
            node["id"]
                .as_str()
                .is_some_and(|id| id.starts_with(&prefix))
        })
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "expected exactly one version of {package} in the workspace"
    );
    matching[0]["features"]
        .as_array()
        .expect("a node lists its features")
        .iter()
        .map(|feature| {
            feature
                .as_str()
                .expect("feature names are strings")
                .to_owned()
        })
        .collect()
}

fn set(features: &[&str]) -> BTreeSet<String> {
    features.iter().map(|f| (*f).to_owned()).collect()
}

#[test]
fn jemalloc_sys_is_built_with_defaults_and_stats_only() {
    assert_eq!(
        resolved_features("tikv-jemalloc-sys"),
        set(&["background_threads_runtime_support", "default", "stats"]),
        "a member changed the root workspace's jemalloc; give that listing its own workspace (DESIGN.md)"
    );
}

#[test]
fn jemallocator_is_used_with_defaults_and_stats_only() {
    assert_eq!(
        resolved_features("tikv-jemallocator"),
        set(&["background_threads_runtime_support", "default", "stats"]),
    );
}
