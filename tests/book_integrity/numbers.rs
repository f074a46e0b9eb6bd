//! Numbers in the prose come from files the chapter includes. A number of four or more digits that
//! a chapter states must appear in a file the same chapter includes (a recording, a results table,
//! a listing), so that re-blessing a recording whose numbers moved leaves a failing test, not a
//! stale sentence. The exceptions are listed in numbers.txt, each with its reason.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::book::{Page, root};
use crate::includes;

/// A number of four or more digits, plain (`67371008`) or grouped (`67,371,008`), standing alone
/// (not part of a word, a version, a path, an anchor or an issue number).
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\w.\-/#,])(?P<n>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{4,})(?:$|[^\w,]|,[^0-9])")
        .expect("a valid regex")
});

/// A Markdown link: `[text](url)`.
static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[(?P<text>[^\]]*)\]\((?P<url>[^)]*)\)").expect("a valid regex"));

/// An mdbook directive: `{{#include ...}}`.
static DIRECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{#[^}]*\}\}").expect("a valid regex"));

/// The numbers a page states in its own words: directives dropped, and a link whose text only
/// repeats numbers of its URL (`[RFC 1974](.../pull/1974)`) dropped too. A four-digit number
/// from 2010 to 2030 is a year.
pub fn stated_numbers(text: &str) -> BTreeSet<String> {
    let text = DIRECTIVE.replace_all(text, " ");
    let text = LINK.replace_all(&text, |link: &regex::Captures| {
        let url = &link["url"];
        let digits: Vec<&str> = link["text"]
            .split(|c: char| !c.is_ascii_digit())
            .filter(|part| !part.is_empty())
            .collect();
        if !digits.is_empty() && digits.iter().all(|part| url.contains(part)) {
            String::new()
        } else {
            link["text"].to_owned()
        }
    });
    let mut numbers = BTreeSet::new();
    for line in text.lines() {
        // Overlapping matches: each number's surroundings may be the next one's.
        let mut rest = line;
        while let Some(found) = NUMBER.captures(rest) {
            let number = found.name("n").expect("the pattern has a number");
            let plain = number.as_str();
            let is_year = plain.len() == 4
                && plain
                    .parse::<u32>()
                    .is_ok_and(|year| (2010..=2030).contains(&year));
            if !is_year {
                numbers.insert(plain.to_owned());
            }
            rest = &rest[number.end()..];
        }
    }
    numbers
}

/// Whether `number` (grouped or not) stands in `text` (grouped or not) as a whole number.
pub fn appears_in(number: &str, text: &str) -> bool {
    let digits = number.replace(',', "");
    let plain = text.replace(',', "");
    plain.match_indices(&digits).any(|(at, _)| {
        let before = plain[..at].chars().next_back();
        let after = plain[at + digits.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// The text of every file `page` includes, whole.
fn included_text(page: &Page) -> String {
    let mut targets: Vec<_> = includes::of(page)
        .into_iter()
        .map(|include| include.target)
        .collect();
    targets.sort();
    targets.dedup();
    targets
        .iter()
        .filter_map(|target| std::fs::read_to_string(target).ok())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The allowlist: (page, number) pairs with a reason each.
fn allowlist() -> Vec<(String, String, String)> {
    let path = root().join("tests/book_integrity/numbers.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert!(
                fields.len() == 3 && fields[2].len() > 20,
                "numbers.txt: expected `page<TAB>number<TAB>reason` with a reason that explains, \
                 found {line:?}"
            );
            (
                fields[0].to_owned(),
                fields[1].to_owned(),
                fields[2].to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_number_in_a_chapter_comes_from_a_file_it_includes() {
    let allowed = allowlist();
    let mut problems = Vec::new();
    let mut used = BTreeSet::new();
    for page in crate::book::pages() {
        let name = page.path.display().to_string();
        let included = included_text(&page);
        for number in stated_numbers(&page.text) {
            if appears_in(&number, &included) {
                continue;
            }
            if allowed.iter().any(|(p, n, _)| *p == name && *n == number) {
                used.insert((name.clone(), number));
                continue;
            }
            problems.push(format!(
                "src/{name}: {number} appears in no file the page includes; include the recording \
                 or results file it comes from, or add `{name}<TAB>{number}<TAB><reason>` to \
                 tests/book_integrity/numbers.txt"
            ));
        }
    }
    for (page, number, _) in &allowed {
        if !used.contains(&(page.clone(), number.clone())) {
            problems.push(format!(
                "numbers.txt lists {number} for {page}, which no longer needs it (the page does \
                 not state it, or an included file now holds it); remove the entry"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

mod the_checks_themselves {
    use super::*;

    #[test]
    fn grouped_plain_and_linked_numbers_are_told_apart() {
        let text = "glibc grew by 67,371,008 bytes (65552 each) in 2026; see \
                    [RFC 1974](https://github.com/rust-lang/rfcs/pull/1974), version 0.7.1234, \
                    `ch14-2048`, issue #12345 and [line 1972](https://example.org/configure.ac).";
        let found: Vec<String> = stated_numbers(text).into_iter().collect();
        assert_eq!(found, ["1972", "65552", "67,371,008"], "from {text:?}");
    }

    #[test]
    fn a_number_appears_only_as_a_whole_number() {
        assert!(
            appears_in("67,371,008", "glibc=67371008 jemalloc=0"),
            "grouping is ignored"
        );
        assert!(
            appears_in("65552", "65,552 bytes"),
            "grouping is ignored both ways"
        );
        assert!(
            !appears_in("6738", "glibc=67371008"),
            "part of a longer number is not it"
        );
        assert!(!appears_in("1052672", "glibc=67371008"), "absent");
    }
}
