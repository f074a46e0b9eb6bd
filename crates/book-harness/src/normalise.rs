//! Makes program output comparable between runs and machines.

use std::sync::LazyLock;

use regex::Regex;

use crate::repo;

/// One rewrite: a pattern and what it becomes.
struct Rule {
    pattern: Regex,
    replacement: &'static str,
}

fn rule(pattern: &str, replacement: &'static str) -> Rule {
    Rule {
        pattern: Regex::new(pattern).expect("normalisation patterns are valid regexes"),
        replacement,
    }
}

/// Patterns that change from run to run but say nothing about the allocator.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        // Cargo's registry checkout: ~/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/
        rule(r"\S*/registry/src/[^/\s]+/", "<registry>/"),
        // Temporary directories.
        rule(r"/tmp/[^/\s:]+", "<tmp>"),
        // Metadata hashes in file names (`libfoo-0123456789abcdef.rlib`) and legacy symbol hashes.
        rule(r"-[0-9a-f]{16}\b", "-<hash>"),
        rule(r"\bh[0-9a-f]{16}\b", "h<hash>"),
        // Addresses.
        rule(r"\b0x[0-9a-f]{4,}\b", "0x<addr>"),
        // Durations: `1m 13s`, `0.52s`, `12ms`, `3.1µs`.
        rule(r"\b\d+m \d+s\b", "<time>"),
        rule(r"\b\d+(\.\d+)?(ns|µs|us|ms|s)\b", "<time>"),
    ]
});

/// Readings that a recording must not hold exactly, because the test does not control them.
/// jemalloc's `stats.allocated` is process-wide: it moves when the thread cache flushes, which
/// depends on how many bytes the process allocated before (its arguments, its paths), so a batch
/// can read 67,103,608 in one run and 67,108,864 in the next. A non-zero change is recorded as
/// `<moved>`; zero stays, because a batch that jemalloc did not serve leaves it exactly still. The
/// tests that need the number read it from the program's own output.
static UNCONTROLLED: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![rule(
        r"\bjemalloc_stats=-?[1-9][0-9]*\b",
        "jemalloc_stats=<moved>",
    )]
});

/// What a recording holds of normalised output: [`normalise`] has already run; values no test
/// controls (see `UNCONTROLLED`) become placeholders, command lines wider than the page are
/// broken with ` \` and other lines folded ([`crate::width`]). Only the recording is rewritten:
/// the output a test parses keeps every number and every line.
///
/// ```
/// let line = "glibc=0 jemalloc_stats=11424\n";
/// assert_eq!(book_harness::for_recording(line), "glibc=0 jemalloc_stats=<moved>\n");
/// ```
pub fn for_recording(normalised: &str) -> String {
    let text = UNCONTROLLED
        .iter()
        .fold(normalised.to_owned(), |text, rule| {
            rule.pattern
                .replace_all(&text, rule.replacement)
                .into_owned()
        });
    crate::width::fold_output(&crate::width::wrap_commands(&text))
}

/// Normalises program output: absolute paths inside the repository become relative, the home
/// directory becomes `~`, and hashes, addresses, temporary paths and timings become placeholders.
/// Trailing spaces go, and the text ends with exactly one newline.
///
/// ```
/// let root = book_harness::repo::root().display().to_string();
/// let text = format!("{root}/src/main.rs took 0.52s  \n\n");
/// assert_eq!(book_harness::normalise(&text), "src/main.rs took <time>\n");
/// ```
pub fn normalise(text: &str) -> String {
    let root = format!("{}/", repo::root().display());
    let mut text = text
        .replace(&root, "")
        .replace(repo::root().to_str().unwrap_or("\0"), ".");
    if let Some(home) = std::env::var_os("HOME").and_then(|h| h.into_string().ok())
        && home.len() > 1
    {
        text = text.replace(&home, "~");
    }
    for rule in RULES.iter() {
        text = rule
            .pattern
            .replace_all(&text, rule.replacement)
            .into_owned();
    }
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    while lines.last().is_some_and(|line| line.is_empty()) {
        lines.pop();
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_paths_become_relative() {
        let text = format!("error at {}/src/main.rs:3", repo::root().display());
        assert_eq!(normalise(&text), "error at src/main.rs:3\n");
    }

    #[test]
    fn hashes_addresses_and_times_become_placeholders() {
        let text = "libfoo-0123456789abcdef.rlib at 0x7ffd1234abcd took 0.52s, then 1m 13s\n";
        assert_eq!(
            normalise(text),
            "libfoo-<hash>.rlib at 0x<addr> took <time>, then <time>\n"
        );
    }

    #[test]
    fn sizes_and_counts_are_kept() {
        let text = "size=100 count=64 glibc_delta=7168 verdict=System\n";
        assert_eq!(normalise(text), text);
    }

    #[test]
    fn a_moved_process_wide_count_becomes_a_placeholder_and_zero_stays() {
        let text =
            "glibc=0 jemalloc_stats=11424 x\nglibc=7168 jemalloc_stats=0 x\njemalloc_stats=-5256\n";
        assert_eq!(
            for_recording(text),
            "glibc=0 jemalloc_stats=<moved> x\nglibc=7168 jemalloc_stats=0 x\njemalloc_stats=<moved>\n"
        );
        assert_eq!(
            for_recording("jemalloc_stats=n/a\n"),
            "jemalloc_stats=n/a\n"
        );
    }

    #[test]
    fn trailing_space_and_blank_lines_go() {
        assert_eq!(normalise("a  \nb\n\n\n"), "a\nb\n");
    }
}
