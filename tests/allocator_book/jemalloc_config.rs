//! The root workspace has one jemalloc configuration: tikv-jemallocator's defaults plus `stats`,
//! prefixed. Cargo unifies features across every package of a build, so one member switching on
//! `unprefixed_malloc_on_supported_platforms` or `disable_initial_exec_tls` would change every
//! other member's jemalloc; such a listing must be a separate workspace instead.
//!
//! The feature list is also part of the build's identity. tikv-jemallocator asks for
//! tikv-jemalloc-sys without its `default` feature, while tikv-jemalloc-ctl and the probe ask for
//! it with `default`. `cargo test` does not build a `cdylib` or a `staticlib`, so the C-host tests
//! build those packages alone (`cargo build -p`); one whose graph has only tikv-jemallocator gets
//! the same C library under another feature list, and Cargo compiles jemalloc once more for it.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::LazyLock;

use serde_json::Value;

const JEMALLOC_SYS: &str = "tikv-jemalloc-sys";

/// `cargo metadata` for the root workspace, read once.
static METADATA: LazyLock<Value> = LazyLock::new(|| {
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
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
});

fn array<'a>(value: &'a Value, what: &str) -> &'a Vec<Value> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("cargo metadata lacks {what}"))
}

fn strings(value: &Value) -> BTreeSet<String> {
    array(value, "a list of names")
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

/// The features Cargo resolved for `package` across the whole workspace (all targets, all
/// platforms).
fn resolved_features(package: &str) -> BTreeSet<String> {
    let prefix = format!("registry+https://github.com/rust-lang/crates.io-index#{package}@");
    let matching: Vec<&Value> = array(&METADATA["resolve"]["nodes"], "a resolve graph")
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
    strings(&matching[0]["features"])
}

fn set(features: &[&str]) -> BTreeSet<String> {
    features.iter().map(|f| (*f).to_owned()).collect()
}

#[test]
fn jemalloc_sys_is_built_with_defaults_and_stats_only() {
    assert_eq!(
        resolved_features(JEMALLOC_SYS),
        set(&["background_threads_runtime_support", "default", "stats"]),
        "a member changed the root workspace's jemalloc; give that listing its own workspace (CONTRIBUTING.md, \"Separate workspaces\")"
    );
}

#[test]
fn jemallocator_is_used_with_defaults_and_stats_only() {
    assert_eq!(
        resolved_features("tikv-jemallocator"),
        set(&["background_threads_runtime_support", "default", "stats"]),
    );
}

/// Whether the package builds a `cdylib` or a `staticlib`: an artifact the tests build alone.
fn built_alone(package: &Value) -> bool {
    array(&package["targets"], "targets").iter().any(|target| {
        let kinds = strings(&target["crate_types"]);
        kinds.contains("cdylib") || kinds.contains("staticlib")
    })
}

#[test]
fn every_c_library_member_asks_for_jemallocs_default_feature() {
    // For each package id: its name, and whether it depends (normally) on tikv-jemalloc-sys with
    // default features. Then, per member: the packages its normal dependencies reach.
    let all = array(&METADATA["packages"], "packages");
    let alone: BTreeSet<&str> = all
        .iter()
        .filter(|package| built_alone(package))
        .filter_map(|package| package["id"].as_str())
        .collect();
    let packages: BTreeMap<&str, (&str, bool)> = all
        .iter()
        .map(|package| {
            let asks_default = array(&package["dependencies"], "dependencies")
                .iter()
                .any(|dep| {
                    dep["name"] == JEMALLOC_SYS
                        && dep["kind"].is_null()
                        && dep["uses_default_features"] == true
                });
            let id = package["id"].as_str().expect("a package id");
            (
                id,
                (
                    package["name"].as_str().expect("a package name"),
                    asks_default,
                ),
            )
        })
        .collect();
    let normal_deps: BTreeMap<&str, Vec<&str>> = array(&METADATA["resolve"]["nodes"], "nodes")
        .iter()
        .map(|node| {
            let deps = array(&node["deps"], "deps")
                .iter()
                .filter(|dep| {
                    array(&dep["dep_kinds"], "dep kinds")
                        .iter()
                        .any(|k| k["kind"].is_null())
                })
                .filter_map(|dep| dep["pkg"].as_str())
                .collect();
            (node["id"].as_str().expect("a node id"), deps)
        })
        .collect();
    let mut lacking = Vec::new();
    for member in array(&METADATA["workspace_members"], "workspace members") {
        let member = member.as_str().expect("a member id");
        if !alone.contains(member) {
            continue;
        }
        let mut reached = BTreeSet::from([member]);
        let mut todo = vec![member];
        while let Some(id) = todo.pop() {
            for dep in normal_deps.get(id).into_iter().flatten() {
                if reached.insert(dep) {
                    todo.push(dep);
                }
            }
        }
        let links_jemalloc = reached.iter().any(|id| packages[id].0 == JEMALLOC_SYS);
        let asks_default = reached.iter().any(|id| packages[id].1);
        if links_jemalloc && !asks_default {
            lacking.push(packages[member].0);
        }
    }
    assert!(
        lacking.is_empty(),
        "built alone, these C libraries would compile jemalloc once more, without its `default` feature \
         (see this file's header); add `tikv-jemalloc-sys.workspace = true` next to their \
         tikv-jemallocator dependency: {lacking:?}"
    );
}
