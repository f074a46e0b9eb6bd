//! The separate-workspace runner, on two tiny fixture workspaces.

use book_harness::separate_workspace::SeparateWorkspace;

#[test]
fn a_passing_workspace_passes_and_builds_into_the_shared_target_dir() {
    let workspace = SeparateWorkspace::at("crates/book-harness/tests/fixtures/passing-workspace");
    // `cargo`, not `test`: this checks a real run, which `test` skips once it has a stamp.
    let run = workspace.cargo(&["test"]).assert_success();
    assert!(
        run.status.success(),
        "expected the passing fixture to pass: {run}"
    );
    assert!(
        workspace.target_dir().join("debug").is_dir(),
        "expected the build under {}",
        workspace.target_dir().display()
    );
}

#[test]
fn a_failing_workspace_fails_and_its_output_is_kept() {
    let workspace = SeparateWorkspace::at("crates/book-harness/tests/fixtures/failing-workspace");
    let run = workspace.cargo(&["test"]);
    assert!(!run.status.success(), "the fixture's test should fail");
    if std::env::var_os("BOOK_STREAM").is_none() {
        assert!(
            run.output.contains("this fixture fails on purpose"),
            "{run}"
        );
    }
    let report = std::panic::catch_unwind(|| run.assert_success())
        .expect_err("assert_success must panic on a failed run");
    let message = report
        .downcast_ref::<String>()
        .expect("the panic carries a formatted message");
    assert!(
        message.contains("cargo test --locked --manifest-path"),
        "{message}"
    );
}

#[test]
#[should_panic(expected = "a separate workspace needs its own manifest and a committed lock file")]
fn a_directory_without_manifest_and_lock_file_is_refused() {
    SeparateWorkspace::at("crates/book-harness/tests/fixtures");
}

#[test]
fn a_generated_workspace_gets_a_lock_with_its_own_package() {
    let dir = book_harness::repo::target_dir()
        .join("tmp")
        .join(format!("generated-workspace-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).expect("a scratch directory");
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\n\n[package]\nname = \"scratch\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    )
    .expect("a manifest");
    std::fs::write(dir.join("src/lib.rs"), "").expect("a library");
    // The root lock pins versions of packages this one does not use: cargo drops them.
    let workspace = SeparateWorkspace::generated(&dir, book_harness::repo::root());
    let lock = std::fs::read_to_string(workspace.dir().join("Cargo.lock")).expect("a lock");
    assert!(lock.contains("name = \"scratch\""), "{lock}");
    assert!(!lock.contains("name = \"regex\""), "{lock}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_root_member_builds_alone_with_the_root_lock() {
    let member = SeparateWorkspace::root_member("crates/book-harness");
    assert!(
        !member.dir().join("Cargo.lock").exists(),
        "expected a root member to have no lock file of its own, found {}",
        member.dir().join("Cargo.lock").display()
    );
    let run = member.cargo(&["build", "--quiet"]).assert_success();
    assert!(
        run.command.contains("crates/book-harness/Cargo.toml"),
        "{run}"
    );
}

#[test]
fn a_run_tells_which_packages_it_compiled() {
    let member = SeparateWorkspace::root_member("crates/book-harness");
    member.cargo(&["build"]).assert_success();
    let again = member.cargo(&["build"]).assert_success();
    // Nothing changed since the first build: nothing to compile, so nothing claims to be.
    assert!(!again.compiled("book-harness"), "{again}");
    let fake = book_harness::separate_workspace::CargoRun {
        output: "   Compiling tikv-jemalloc-sys v0.7.1\n".to_owned(),
        ..again
    };
    assert!(
        fake.compiled("tikv-jemalloc-sys"),
        "expected `Compiling tikv-jemalloc-sys v...` to count as compiling it, in {:?}",
        fake.output
    );
    assert!(
        !fake.compiled("tikv-jemalloc"),
        "expected tikv-jemalloc not to match tikv-jemalloc-sys, in {:?}",
        fake.output
    );
}
