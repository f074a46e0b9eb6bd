//! Most of the book's tests read glibc's counters, so they are compiled out off Linux with glibc.
//! A run on macOS or Windows must not be green in silence: every `cfg` that gates tests says why,
//! and this file lists what a platform does not run.
//!
//! A gate is a `cfg` attribute in a file under a `tests/` directory (other than plain
//! `cfg(test)`), or, anywhere else, a `cfg` attribute on a `#[test]` or one that names `test`.
//! Directly above each gate there must be a plain `//` comment (one or more lines, not a doc
//! comment, not an mdBook anchor) that gives the reason.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One `cfg` attribute that gates tests.
#[derive(Debug)]
struct Gate {
    /// From the repository root.
    file: PathBuf,
    /// 1-based.
    line: usize,
    /// What is inside `cfg(...)`.
    predicate: String,
    /// The `//` comment directly above, if any.
    reason: Option<String>,
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&path, found);
            }
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
}

/// A plain `//` comment line, not a doc comment and not an mdBook anchor.
fn is_reason_line(line: &str) -> bool {
    line.starts_with("// ")
        && !line.starts_with("///")
        && !line.starts_with("//!")
        && !line.starts_with("// ANCHOR")
}

/// The predicate of a line `#[cfg(...)]` or `#![cfg(...)]`.
fn cfg_predicate(line: &str) -> Option<&str> {
    let line = line.trim();
    let inner = line
        .strip_prefix("#![cfg(")
        .or_else(|| line.strip_prefix("#[cfg("))?;
    inner.strip_suffix(")]")
}

fn gates_in(root: &Path, file: &Path) -> Vec<Gate> {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", file.display()));
    let relative = file.strip_prefix(root).unwrap_or(file).to_owned();
    let in_tests_dir = relative
        .components()
        .any(|part| part.as_os_str() == "tests");
    let lines: Vec<&str> = text.lines().collect();
    let mut gates = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(predicate) = cfg_predicate(line) else {
            continue;
        };
        let names_test = predicate
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|word| word == "test");
        let on_a_test = lines
            .get(i + 1)
            .is_some_and(|next| next.trim() == "#[test]");
        let gates_tests = if in_tests_dir {
            predicate != "test"
        } else {
            predicate != "test" && (names_test || on_a_test)
        };
        if !gates_tests {
            continue;
        }
        let reason_lines: Vec<&str> = lines[..i]
            .iter()
            .rev()
            .map(|above| above.trim())
            .take_while(|above| is_reason_line(above))
            .map(|above| above.trim_start_matches("// "))
            .collect();
        let reason = (!reason_lines.is_empty()).then(|| {
            reason_lines
                .iter()
                .rev()
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        });
        gates.push(Gate {
            file: relative.clone(),
            line: i + 1,
            predicate: predicate.to_owned(),
            reason,
        });
    }
    gates
}

fn all_gates() -> Vec<Gate> {
    let root = book_harness::repo::root();
    let mut files = Vec::new();
    rust_files(root, &mut files);
    files.sort();
    files.iter().flat_map(|file| gates_in(root, file)).collect()
}

/// Whether `predicate` holds on the platform this test runs on, for the keys the book's gates
/// use; panics on any other key, so that a new kind of gate is added here before it is trusted.
fn holds_here(predicate: &str) -> bool {
    let tokens: Vec<String> = tokenize(predicate);
    let mut position = 0;
    let value = evaluate(&tokens, &mut position, predicate);
    assert_eq!(
        position,
        tokens.len(),
        "cannot read the cfg predicate `{predicate}`"
    );
    value
}

fn tokenize(predicate: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = predicate.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if "(),=".contains(c) {
            tokens.push(c.to_string());
            chars.next();
        } else if c == '"' {
            chars.next();
            let text: String = chars.by_ref().take_while(|&c| c != '"').collect();
            tokens.push(format!("\"{text}\""));
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_alphanumeric() || c == '_' {
                    word.push(c);
                    chars.next();
                } else {
                    break;
                }
            }
            assert!(!word.is_empty(), "unexpected `{c}` in `{predicate}`");
            tokens.push(word);
        }
    }
    tokens
}

fn evaluate(tokens: &[String], position: &mut usize, predicate: &str) -> bool {
    let name = tokens[*position].clone();
    *position += 1;
    match tokens.get(*position).map(String::as_str) {
        Some("(") => {
            *position += 1;
            let mut values = Vec::new();
            while tokens[*position] != ")" {
                values.push(evaluate(tokens, position, predicate));
                if tokens[*position] == "," {
                    *position += 1;
                }
            }
            *position += 1;
            match name.as_str() {
                "all" => values.iter().all(|&v| v),
                "any" => values.iter().any(|&v| v),
                "not" if values.len() == 1 => !values[0],
                _ => panic!("unknown cfg function `{name}` in `{predicate}`"),
            }
        }
        Some("=") => {
            *position += 1;
            let value = tokens[*position].trim_matches('"').to_owned();
            *position += 1;
            let here = match name.as_str() {
                "target_os" => std::env::consts::OS,
                "target_arch" => std::env::consts::ARCH,
                "target_env" if cfg!(target_env = "gnu") => "gnu",
                "target_env" if cfg!(target_env = "musl") => "musl",
                "target_env" if cfg!(target_env = "msvc") => "msvc",
                "target_env" => "",
                _ => panic!("unknown cfg key `{name}` in `{predicate}`; teach holds_here it"),
            };
            here == value
        }
        _ => match name.as_str() {
            "test" => true,
            "unix" => cfg!(unix),
            "windows" => cfg!(windows),
            _ => panic!("unknown cfg option `{name}` in `{predicate}`; teach holds_here it"),
        },
    }
}

#[test]
fn every_platform_gate_on_a_test_says_why() {
    let gates = all_gates();
    assert!(
        gates.len() > 20,
        "found only {} gates; the search for them is broken",
        gates.len()
    );
    let mut report = String::new();
    let mut unexplained = Vec::new();
    let off_here: Vec<&Gate> = gates.iter().filter(|g| !holds_here(&g.predicate)).collect();
    for gate in &gates {
        let place = format!("{}:{}", gate.file.display(), gate.line);
        match &gate.reason {
            Some(reason) => {
                let state = if holds_here(&gate.predicate) {
                    "runs here"
                } else {
                    "COMPILED OUT HERE"
                };
                writeln!(
                    report,
                    "{state:17} {place} cfg({}): {reason}",
                    gate.predicate
                )
                .expect("writing to a String");
            }
            None => unexplained.push(format!("{place} cfg({})", gate.predicate)),
        }
    }
    println!(
        "{} platform gates on tests; {} of them compiled out on this platform ({}, {}):\n{report}",
        gates.len(),
        off_here.len(),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    assert!(
        unexplained.is_empty(),
        "each cfg that gates tests needs a plain `// <reason>` comment directly above it, saying \
         why the tests do not run elsewhere; these have none:\n{}",
        unexplained.join("\n")
    );
}

#[test]
fn the_gate_reader_knows_what_holds_here() {
    assert!(
        holds_here("unix") == cfg!(unix),
        "expected cfg(unix) to hold here exactly when it does for this build ({})",
        cfg!(unix)
    );
    assert!(
        holds_here("test"),
        "expected cfg(test) to hold in a test, it did not"
    );
    assert_eq!(
        holds_here(r#"all(target_os = "linux", target_env = "gnu")"#),
        cfg!(all(target_os = "linux", target_env = "gnu"))
    );
    assert_eq!(
        holds_here(r#"not(target_env = "msvc")"#),
        !cfg!(target_env = "msvc")
    );
    assert!(
        !holds_here(r#"all(unix, not(unix))"#),
        "expected all(unix, not(unix)) never to hold, it did"
    );
    assert!(
        holds_here(r#"any(unix, not(unix))"#),
        "expected any(unix, not(unix)) always to hold, it did not"
    );
}

#[test]
fn a_gate_without_a_comment_above_is_found_and_one_with_it_is_explained() {
    let dir = std::env::temp_dir().join(format!("platform-gates-{}", std::process::id()));
    let tests = dir.join("tests");
    std::fs::create_dir_all(&tests).expect("a writable temporary directory");
    let file = tests.join("sample.rs");
    std::fs::write(
        &file,
        "//! A sample.\n#![cfg(unix)]\n\n// Linux only:\n// reads /proc.\n#[cfg(target_os = \"linux\")]\n#[test]\nfn t() {}\n#[cfg(test)]\nmod m {}\n// ANCHOR: x\n#[cfg(unix)]\n#[test]\nfn u() {}\n",
    )
    .expect("a writable temporary file");
    let gates = gates_in(&dir, &file);
    let _ = std::fs::remove_dir_all(&dir);
    let found: Vec<(usize, Option<&str>)> = gates
        .iter()
        .map(|gate| (gate.line, gate.reason.as_deref()))
        .collect();
    assert_eq!(
        found,
        [(2, None), (6, Some("Linux only: reads /proc.")), (12, None)],
        "expected the unexplained file gate, the explained test gate (two comment lines) and the \
         gate under an anchor, which is no reason; not cfg(test)"
    );
}
