//! Single-file programs compiled with the pinned `rustc`, outside any Cargo build: a fixture that
//! must fail to compile (the old `alloc_system` listing), or a program with no dependencies built
//! with flags a Cargo profile would not give it (two optimisation levels, another target).
//!
//! `rustc` runs from the repository root, so that `rust-toolchain.toml` selects the pinned
//! toolchain; outputs go to `<target>/fixtures/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::repo;

pub use crate::repo::rustc;

/// A `rustc` command that runs in the repository root.
///
/// ```
/// let command = book_harness::rustc::command();
/// assert_eq!(command.get_current_dir(), Some(book_harness::repo::root()));
/// ```
pub fn command() -> Command {
    let mut command = Command::new(rustc());
    command.current_dir(repo::root());
    command
}

/// Where compiled fixtures go: `<target>/fixtures/`, created on first use.
///
/// ```
/// let dir = book_harness::rustc::out_dir();
/// assert!(dir.is_dir() && dir.ends_with("fixtures"), "{}", dir.display());
/// ```
pub fn out_dir() -> PathBuf {
    let dir = repo::target_dir().join("fixtures");
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|err| panic!("cannot create {}: {err}", dir.display()));
    dir
}

/// Compiles the single-file program `source` (relative to the repository root, or absolute) into
/// `<target>/fixtures/<name>`, as edition 2024 with the extra `args` (`["-O"]`,
/// `["--target", ...]`), and returns the path of the program. Panics with rustc's output when the
/// compilation fails.
///
/// A program with no dependencies is a function of its source, the arguments, the compiler and
/// the linker: when all of them are those of the last compilation into `<name>` (a digest kept
/// next to it in `.<name>.stamp`) and the program is still there, it is returned as it is, and
/// the test prints that it was reused. `BLESS=1` and `BOOK_NO_STAMPS=1` always compile
/// ([`crate::stamp::enabled`]).
///
/// ```
/// let source = std::env::temp_dir().join(format!("harness-hello-{}.rs", std::process::id()));
/// std::fs::write(&source, "fn main() { println!(\"hello\"); }\n").expect("writable");
/// let program = book_harness::rustc::compile(&source, "harness-doc-hello", &["-O"]);
/// let output = std::process::Command::new(&program).output().expect("it runs");
/// assert_eq!(output.stdout, b"hello\n");
/// # std::fs::remove_file(&source).ok();
/// ```
pub fn compile(source: impl AsRef<Path>, name: &str, args: &[&str]) -> PathBuf {
    let source = repo::root().join(source);
    let output = out_dir().join(name);
    let stamp = out_dir().join(format!(".{name}.stamp"));
    let contents = std::fs::read(&source)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", source.display()));
    let key = crate::stamp::compile_key(&contents, args);
    if crate::stamp::enabled()
        && output.is_file()
        && std::fs::read_to_string(&stamp).is_ok_and(|stored| stored == key)
    {
        println!(
            "reused {}: {} and `rustc {}` are what compiled it, with the same rustc and cc",
            output.display(),
            source.display(),
            args.join(" ")
        );
        return output;
    }
    // No stamp while the program is being replaced: a failed compilation leaves none behind.
    let _ = std::fs::remove_file(&stamp);
    // Written under another name, then renamed: see `crate::process::replace_with`.
    let partial = crate::process::unique_sibling(&output);
    let result = command()
        .args(["--edition", "2024", "-o"])
        .arg(&partial)
        .args(args)
        .arg(&source)
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", rustc().display()));
    assert!(
        result.status.success(),
        "rustc {args:?} {} failed with {}:\n{}",
        source.display(),
        result.status,
        String::from_utf8_lossy(&result.stderr)
    );
    crate::process::replace_with(&partial, &output);
    // Without a stamp the next test compiles again: nothing is hidden, only time lost.
    let _ = std::fs::write(&stamp, key);
    output
}

/// The target triple the pinned toolchain builds for by default (`host:` in `rustc -vV`).
///
/// ```
/// let host = book_harness::rustc::host();
/// assert!(host.split('-').count() >= 3, "a target triple: {host}");
/// ```
pub fn host() -> String {
    let output = command()
        .arg("-vV")
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", rustc().display()));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("`rustc -vV` printed no `host:` line"))
}

/// Whether the standard library for `target` is installed for the pinned toolchain.
///
/// ```
/// use book_harness::rustc::{host, target_installed};
///
/// assert!(target_installed(&host()), "the host's standard library is always there");
/// assert!(!target_installed("no-such-target"));
/// ```
pub fn target_installed(target: &str) -> bool {
    let Ok(output) = command()
        .args(["--print", "target-libdir", "--target", target])
        .output()
    else {
        return false;
    };
    let libdir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    output.status.success()
        && std::fs::read_dir(&libdir).is_ok_and(|entries| {
            entries.flatten().any(|entry| {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                name.starts_with("libstd-") && name.ends_with(".rlib")
            })
        })
}

/// The toolchain `rust-toolchain.toml` pins (`channel = "..."`), which rustup installs a target for.
///
/// ```
/// let pinned = book_harness::rustc::pinned_toolchain();
/// assert!(pinned.chars().next().is_some_and(|c| c.is_ascii_digit()), "{pinned}");
/// ```
pub fn pinned_toolchain() -> String {
    let path = repo::root().join("rust-toolchain.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("channel"))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .map(|value| value.trim().trim_matches('"').to_owned())
        .next()
        .unwrap_or_else(|| panic!("{} pins no `channel`", path.display()))
}

/// The command that installs `target` for the pinned toolchain, as a reader would type it.
///
/// ```
/// let pinned = book_harness::rustc::pinned_toolchain();
/// assert_eq!(
///     book_harness::rustc::install_command("x86_64-unknown-linux-musl"),
///     format!("rustup target add --toolchain {pinned} x86_64-unknown-linux-musl")
/// );
/// ```
pub fn install_command(target: &str) -> String {
    format!(
        "rustup target add --toolchain {} {target}",
        pinned_toolchain()
    )
}

/// For a test that cannot go on without the standard library for `target`: when it is missing,
/// installs it through rustup for the pinned toolchain (`rust-toolchain.toml` lists the target, but
/// rustup reads that list only when it installs the toolchain itself, not for one already
/// installed). Says so on stderr. Panics with the exact command when rustup is absent or fails.
///
/// ```
/// use book_harness::rustc::{host, require_target, target_installed};
///
/// // The host's standard library is there: nothing to install, nothing printed.
/// require_target(&host());
/// assert!(target_installed(&host()));
/// ```
pub fn require_target(target: &str) {
    if target_installed(target) {
        return;
    }
    let command = install_command(target);
    eprintln!("the Rust standard library for `{target}` is missing; running `{command}`");
    let mut words = command.split_whitespace();
    let program = words.next().expect("the command starts with rustup");
    let status = Command::new(program)
        .args(words)
        .current_dir(repo::root())
        .status();
    match status {
        Ok(status) if status.success() && target_installed(target) => {}
        Ok(status) => panic!(
            "`{command}` exited with {status} and the standard library for `{target}` is still              missing; this test needs it. Run that command yourself and read its error."
        ),
        Err(err) => panic!(
            "the Rust standard library for `{target}` is not installed, and rustup could not be              run ({err}); this test needs it. Install it with `{command}`, or with your              toolchain's own installer if rustup is not how you installed Rust."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_target_is_installed_and_a_made_up_one_is_not() {
        assert!(
            target_installed(&host()),
            "expected the host target {} to be installed, but its standard library is missing",
            host()
        );
        assert!(
            !target_installed("no_such-unknown-target"),
            "expected a made-up target to count as not installed, but it did"
        );
        // rustc knows this target and prints a library directory for it, but no standard library
        // is there unless someone installed it: knowing a target is not having it.
        assert!(
            !target_installed("riscv64gc-unknown-none-elf"),
            "expected riscv64gc-unknown-none-elf to be known to rustc but not installed"
        );
    }

    #[test]
    fn the_pinned_toolchain_is_the_channel_of_rust_toolchain_toml() {
        let pinned = pinned_toolchain();
        assert!(
            pinned.split('.').count() == 3
                && pinned.chars().all(|c| c.is_ascii_digit() || c == '.'),
            "expected a pinned version such as 1.95.0, read `{pinned}`"
        );
        assert_eq!(
            install_command("x86_64-unknown-linux-musl"),
            format!("rustup target add --toolchain {pinned} x86_64-unknown-linux-musl")
        );
    }

    #[test]
    fn a_target_rustup_cannot_install_fails_with_the_command_to_run() {
        let message = std::panic::catch_unwind(|| require_target("no_such-unknown-target"))
            .expect_err("a made-up target cannot be installed");
        let message = message
            .downcast_ref::<String>()
            .expect("a formatted panic message");
        assert!(
            message.contains(&install_command("no_such-unknown-target")),
            "expected the panic to name the install command, got: {message}"
        );
    }

    #[test]
    fn a_program_compiles_into_the_fixtures_directory_and_runs() {
        let dir = out_dir();
        let source = dir.join("harness_self_test.rs");
        std::fs::write(&source, "fn main() { println!(\"compiled\"); }\n")
            .expect("the fixtures directory is writable");
        let program = compile(&source, "harness-self-test", &[]);
        assert!(
            program.starts_with(&dir),
            "expected the program under {}, saw {}",
            dir.display(),
            program.display()
        );
        let output = Command::new(&program).output().expect("the program runs");
        assert_eq!(String::from_utf8_lossy(&output.stdout), "compiled\n");
    }

    #[test]
    fn an_unchanged_program_is_reused_and_a_changed_one_compiled_again() {
        let dir = out_dir();
        let source = dir.join("harness_reuse_test.rs");
        let says = |text: &str| format!("fn main() {{ println!(\"{text}\"); }}\n");
        let run = |program: &Path| {
            let output = Command::new(program).output().expect("the program runs");
            String::from_utf8_lossy(&output.stdout).into_owned()
        };
        std::fs::write(&source, says("first")).expect("the fixtures directory is writable");
        let program = compile(&source, "harness-reuse-test", &[]);
        assert_eq!(
            run(&program),
            "first\n",
            "expected the first source compiled"
        );
        let built = std::fs::metadata(&program).and_then(|m| m.modified());
        let again = compile(&source, "harness-reuse-test", &[]);
        let rebuilt = std::fs::metadata(&again).and_then(|m| m.modified());
        if crate::stamp::enabled() {
            assert_eq!(
                built.ok(),
                rebuilt.ok(),
                "expected the unchanged program to be reused, but it was written again"
            );
        }
        std::fs::write(&source, says("second")).expect("writable");
        let changed = compile(&source, "harness-reuse-test", &[]);
        assert_eq!(
            run(&changed),
            "second\n",
            "expected the changed source compiled again, but the old program ran"
        );
        let optimised = compile(&source, "harness-reuse-test", &["-O"]);
        let stamp = dir.join(".harness-reuse-test.stamp");
        assert_eq!(
            std::fs::read_to_string(&stamp).ok(),
            Some(crate::stamp::compile_key(
                says("second").as_bytes(),
                &["-O"]
            )),
            "expected other arguments to compile again and stamp {}",
            optimised.display()
        );
    }
}
