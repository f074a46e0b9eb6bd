//! What the page "What this book does not cover" says about Windows with the GNU toolchain, checked
//! as far as it can be here: which `cfg` the pinned compiler gives that target.

/// The `cfg` lines of `rustc --print cfg --target <target>` (needs no standard library for it).
fn cfg_of(target: &str) -> Vec<String> {
    let output = book_harness::rustc::command()
        .args(["--print", "cfg", "--target", target])
        .output()
        .unwrap_or_else(|err| panic!("cannot run rustc --print cfg: {err}"));
    assert!(
        output.status.success(),
        "rustc --print cfg --target {target} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn on_windows_gnu_the_msvc_gate_selects_jemalloc() {
    let gnu = cfg_of("x86_64-pc-windows-gnu");
    for expected in [r#"target_os="windows""#, r#"target_env="gnu""#] {
        assert!(
            gnu.iter().any(|line| line == expected),
            "expected `{expected}` for x86_64-pc-windows-gnu; saw {gnu:?}"
        );
    }
    assert!(
        !gnu.iter().any(|line| line == r#"target_env="msvc""#),
        "expected no `target_env=\"msvc\"` for x86_64-pc-windows-gnu, so that \
         cfg(not(target_env = \"msvc\")) selects jemalloc there; saw {gnu:?}"
    );
    let msvc = cfg_of("x86_64-pc-windows-msvc");
    assert!(
        msvc.iter().any(|line| line == r#"target_env="msvc""#),
        "expected `target_env=\"msvc\"` for x86_64-pc-windows-msvc; saw {msvc:?}"
    );
}
