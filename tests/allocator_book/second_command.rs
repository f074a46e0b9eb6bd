//! The README's second test command, `cargo test --workspace --locked -- --ignored`, runs the tests
//! that need a distribution package (Python, valgrind, ...). They are the only ignored tests: each
//! says what it needs in its reason, so nothing is ignored silently, and `.ci/install-packages` installs what
//! they name.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

/// How every ignored test's reason starts.
const NEEDS: &str = "needs ";

/// `#[ignore]` or `#[ignore = "reason"]`, as the first thing on a line.
static IGNORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*#\[ignore\s*(?:=\s*"(?P<reason>[^"]*)")?"#).expect("a valid regex")
});

/// Each `<tool> (Debian package <pkg>)` in a reason: `needs <tool> (Debian package <pkg>)`, and
/// more pairs after it (`..., and <tool> (Debian package <pkg>)`) for a test that needs several. A
/// tool is a program that .ci/run looks for on PATH.
static PACKAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<tool>\S+) \(Debian package (?P<package>[a-z0-9][a-z0-9.+-]*)\)")
        .expect("a valid regex")
});

/// The list of `tool:package` pairs that `.ci/install-packages second` installs.
static SECOND_COMMAND_TOOLS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^second_command_tools="(?P<pairs>[^"]*)""#).expect("a valid regex")
});

/// The `tool:package` pairs of the `second_command_tools` list in `.ci/install-packages`.
fn installed_pairs(packages_script: &str) -> Vec<String> {
    SECOND_COMMAND_TOOLS
        .captures(packages_script)
        .map(|caps| {
            caps["pairs"]
                .split_whitespace()
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A doc comment that opens a code fence marked `ignore`: rustdoc would make it an ignored doctest.
static IGNORED_DOCTEST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*//[/!]\s*(```|~~~)[^`~]*\bignore\b").expect("a valid regex"));

/// One `#[ignore` found in a file.
#[derive(Debug)]
struct Ignored {
    at: String,
    reason: Option<String>,
}

/// Every `.rs` file of the repository, outside `target/` and hidden directories.
fn rust_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir)
            .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()));
        for entry in entries {
            let entry = entry.expect("a readable directory entry");
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let path = entry.path();
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    walk(&path, out);
                }
            } else if name.ends_with(".rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(book_harness::repo::root(), &mut files);
    files.sort();
    files
}

/// The ignored tests in one file's text, and the problems: ignored doctests in library code
/// (`in_library`: the file is under a `src/` directory, which rustdoc reads).
fn scan(at: &str, text: &str, in_library: bool, problems: &mut Vec<String>) -> Vec<Ignored> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let at = format!("{at}:{}", number + 1);
        if let Some(caps) = IGNORE.captures(line) {
            found.push(Ignored {
                at,
                reason: caps.name("reason").map(|r| r.as_str().to_owned()),
            });
        } else if in_library && IGNORED_DOCTEST.is_match(line) {
            problems.push(format!(
                "{at}: a doc-comment code block marked `ignore` becomes an ignored doctest, which \
                 the second command would try to compile; use `no_run` or `text`"
            ));
        }
    }
    found
}

/// The problems of the ignored tests: no reason, a reason that does not start with "needs ", or a
/// tool and Debian package that `.ci/run` does not install (`packages_script` is that script's text).
fn check(ignored: &[Ignored], packages_script: &str, problems: &mut Vec<String>) {
    let installed = installed_pairs(packages_script);
    for test in ignored {
        match &test.reason {
            None => problems.push(format!(
                "{}: a bare #[ignore]; give the reason, #[ignore = \"needs <tool> (Debian package \
                 <pkg>): the second test command runs it\"], or do not ignore the test",
                test.at
            )),
            Some(reason) if !reason.starts_with(NEEDS) => problems.push(format!(
                "{}: the reason \"{reason}\" does not start with \"{NEEDS}\"; only tests that need \
                 a tool are ignored, and they say which",
                test.at
            )),
            Some(reason) => {
                let pairs: Vec<String> = PACKAGE
                    .captures_iter(reason)
                    .map(|caps| format!("{}:{}", &caps["tool"], &caps["package"]))
                    .collect();
                if pairs.is_empty() {
                    problems.push(format!(
                        "{}: the reason \"{reason}\" names no `<tool> (Debian package <pkg>)`, so \
                         .ci/install-packages cannot know what to install",
                        test.at
                    ));
                }
                for pair in pairs.into_iter().filter(|pair| !installed.contains(pair)) {
                    problems.push(format!(
                        "{}: needs `{pair}` (tool:Debian package), which is not in .ci/install-packages' \
                         `second_command_tools`; add it there so CI installs it",
                        test.at
                    ));
                }
            }
        }
    }
}

#[test]
fn every_ignored_test_says_what_it_needs_and_the_second_command_is_not_empty() {
    let root = book_harness::repo::root();
    let packages_script = std::fs::read_to_string(root.join(".ci/install-packages"))
        .expect(".ci/install-packages is readable");
    let mut problems = Vec::new();
    let mut ignored = Vec::new();
    for file in rust_files() {
        let relative = file.strip_prefix(root).expect("under the root").to_owned();
        // This file quotes the attribute in its own checks.
        if relative == Path::new("tests/allocator_book/second_command.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", file.display()));
        let in_library = relative.components().any(|part| part.as_os_str() == "src");
        ignored.extend(scan(
            &relative.display().to_string(),
            &text,
            in_library,
            &mut problems,
        ));
    }
    check(&ignored, &packages_script, &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        !ignored.is_empty(),
        "no test is marked #[ignore = \"needs ...\"], so the README's second command \
         (`cargo test --workspace --locked -- --ignored`) runs nothing"
    );
}

/// The checks above must catch what they claim to catch.
mod the_checks_themselves {
    use super::*;

    const CI_RUN: &str =
        "# tool:package\nsecond_command_tools=\"python3:python3 valgrind:valgrind\"\n";

    fn problems_of(text: &str, in_library: bool) -> (usize, Vec<String>) {
        let mut problems = Vec::new();
        let ignored = scan("example.rs", text, in_library, &mut problems);
        check(&ignored, CI_RUN, &mut problems);
        (ignored.len(), problems)
    }

    #[test]
    fn a_reason_that_names_an_installed_package_passes() {
        let good = "#[test]\n#[ignore = \"needs python3 (Debian package python3): the second \
                    test command runs it\"]\nfn t() {}\n";
        assert_eq!(problems_of(good, false), (1, Vec::new()));
    }

    #[test]
    fn a_bare_ignore_an_unexplained_reason_and_a_missing_package_are_caught() {
        for bad in [
            "    #[ignore]\n",
            "#[ignore = \"slow\"]\n",
            "#[ignore = \"needs heaptrack (Debian package heaptrack): the second test command runs it\"]\n",
        ] {
            let (count, problems) = problems_of(bad, false);
            assert_eq!(count, 1, "the attribute in {bad:?} was not found");
            assert_eq!(problems.len(), 1, "{bad:?} gave {problems:?}");
        }
    }

    #[test]
    fn an_ignored_doctest_in_library_code_is_caught() {
        let (_, problems) = problems_of("/// ```ignore\n/// x\n/// ```\n", true);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let (_, problems) = problems_of("/// ```no_run\n/// x\n/// ```\n", true);
        assert!(problems.is_empty(), "{problems:?}");
    }
}
