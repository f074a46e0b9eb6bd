//! The book's own consistency. mdbook only logs a missing include or anchor and still exits 0;
//! these tests make each such slip, and each unproven chapter, fail `cargo test`.

mod book;
mod includes;
mod quick_answer;
mod troubleshooting;
mod verified;

use std::collections::BTreeSet;

use book::{Page, is_written_chapter, pages, summary};
use includes::{Include, Selection};

#[test]
fn every_include_target_exists_and_every_anchor_is_non_empty() {
    let mut problems = Vec::new();
    for page in pages() {
        for include in includes::of(&page) {
            if let Err(problem) = include.check() {
                problems.push(format!("{}: {problem}", include.location()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "broken includes:\n{}",
        problems.join("\n")
    );
}

#[test]
fn includes_use_anchors_never_line_numbers() {
    let numbered: Vec<String> = pages()
        .iter()
        .flat_map(includes::of)
        .filter_map(|include| match &include.selection {
            Selection::Lines(lines) => Some(format!("{} (lines {lines})", include.location())),
            _ => None,
        })
        .collect();
    assert!(
        numbered.is_empty(),
        "these includes select lines by number, which drift silently when the file changes; \
         put `ANCHOR: name` / `ANCHOR_END: name` comments in the file and include `path:name`:\n{}",
        numbered.join("\n")
    );
}

#[test]
fn every_rust_fence_with_an_include_is_ignored_by_skeptic() {
    let mut problems = Vec::new();
    for page in pages() {
        for fence in book::fences(&page) {
            if fence.body.contains("{{#") && book::skeptic_compiles(&fence.info) {
                problems.push(format!(
                    "{}:{}: the fence ```{} includes workspace code but skeptic would compile the \
                     directive itself; mark it `rust,ignore` (the included code is tested where it lives)",
                    page.path.display(),
                    fence.line,
                    fence.info
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_listing_is_included_by_a_chapter() {
    let used: BTreeSet<String> = pages()
        .iter()
        .flat_map(includes::of)
        .filter_map(|include| include.listing())
        .collect();
    let unused: Vec<String> = book::listings()
        .into_iter()
        .filter(|listing| !used.contains(listing))
        .collect();
    assert!(
        unused.is_empty(),
        "no chapter includes anything from these listings (include their code, or remove them): {unused:?}"
    );
}

#[test]
fn every_page_in_src_is_in_the_summary() {
    let linked: BTreeSet<String> = summary()
        .into_iter()
        .filter_map(|entry| entry.link)
        .collect();
    let orphans: Vec<String> = pages()
        .iter()
        .map(|page| page.path.display().to_string())
        .filter(|path| path != "SUMMARY.md" && !linked.contains(path))
        .collect();
    assert!(
        orphans.is_empty(),
        "pages that SUMMARY.md does not list, so mdbook never renders them: {orphans:?}"
    );
}

#[test]
fn chapter_files_are_named_chnn_slug_or_appendix_slug() {
    let badly_named: Vec<String> = summary()
        .into_iter()
        .filter_map(|entry| entry.link)
        .filter(|link| !book::has_page_name(link))
        .collect();
    assert!(
        badly_named.is_empty(),
        "chapter files are `chNN-slug.md` (numbered) or `appendix-slug.md`: {badly_named:?}"
    );
}

#[test]
fn unwritten_chapters_are_drafts_not_empty_pages() {
    let empty: Vec<String> = pages()
        .iter()
        .filter(|page| {
            page.text
                .lines()
                .filter(|line| !line.trim().is_empty())
                .count()
                < 3
        })
        .map(|page| page.path.display().to_string())
        .collect();
    assert!(
        empty.is_empty(),
        "near-empty pages; list an unwritten chapter in SUMMARY.md as a draft, `- [Title]()`: {empty:?}"
    );
}

#[test]
fn every_written_chapter_ends_with_what_we_verified() {
    let missing: Vec<String> = pages()
        .iter()
        .filter(|page| is_written_chapter(page))
        .filter_map(|page| verified::section(page).err())
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_test_named_under_what_we_verified_exists() {
    let mut problems = Vec::new();
    for page in pages().iter().filter(|page| is_written_chapter(page)) {
        let Ok(section) = verified::section(page) else {
            continue;
        };
        for named in verified::named_tests(page, &section, &mut problems) {
            if let Err(problem) = named.check() {
                problems.push(format!("{}: {problem}", page.path.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A page under `src/`, found among the pages.
fn page_named(name: &str) -> Page {
    pages()
        .into_iter()
        .find(|page| page.path.as_os_str() == name)
        .unwrap_or_else(|| panic!("src/{name} does not exist"))
}

#[test]
fn every_quick_answer_row_names_tests_that_exist() {
    let page = page_named(quick_answer::PAGE);
    let situations = quick_answer::situations(&page);
    assert!(
        situations.len() >= 10,
        "src/{} should open with a table of at least 10 situations; found {situations:?}",
        quick_answer::PAGE
    );
    let mut problems = Vec::new();
    let mut rows = quick_answer::tests_per_row(&page, &mut problems);
    for situation in &situations {
        match rows.remove(situation) {
            None => problems.push(format!(
                "the row \"{situation}\" has no \"What we verified\" item marked (**{situation}**)"
            )),
            Some(tests) if tests.is_empty() => {
                problems.push(format!("the item for \"{situation}\" names no test"))
            }
            Some(tests) => problems.extend(tests.iter().filter_map(|test| test.check().err())),
        }
    }
    problems.extend(
        rows.keys()
            .map(|left| format!("the item marked (**{left}**) matches no row of the table")),
    );
    let introduction = page_named("ch01-introduction.md");
    for link in [quick_answer::PAGE, "appendix-templates.md"] {
        if !introduction.text.contains(&format!("]({link}")) {
            problems.push(format!("src/ch01-introduction.md does not link {link}"));
        }
    }
    assert!(
        problems.is_empty(),
        "src/{}:\n{}",
        quick_answer::PAGE,
        problems.join("\n")
    );
}

#[test]
fn the_quick_answer_quotes_the_committed_benchmark_ratios() {
    let page = page_named(quick_answer::PAGE);
    let (quoted, numbers) = quick_answer::quoted_ratios(&page);
    assert!(
        quoted.len() >= 3,
        "src/{} should quote at least three ratios under \"{}\" as \"`workload` 1.23\"; found {quoted:?}",
        quick_answer::PAGE,
        quick_answer::VERDICT
    );
    assert_eq!(
        quoted.len(),
        numbers,
        "every number under \"{}\" in src/{} must follow the workload it is the ratio of, \
         as \"`workload` 1.23\"; {numbers} numbers, {} of them quoted so: {quoted:?}",
        quick_answer::VERDICT,
        quick_answer::PAGE,
        quoted.len()
    );
    let committed = quick_answer::committed_ratios();
    let wrong: Vec<String> = quoted
        .iter()
        .filter(|(workload, ratio)| committed.get(workload) != Some(ratio))
        .map(|(workload, ratio)| {
            format!(
                "`{workload}` {ratio}: {} has {}",
                quick_answer::SUMMARY_CSV,
                committed
                    .get(workload)
                    .map_or("no such workload".to_owned(), |c| format!(
                        "ratio_jemalloc {c}"
                    ))
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "src/{} quotes ratios the committed results do not hold (re-read them from the results):\n{}",
        quick_answer::PAGE,
        wrong.join("\n")
    );
}

/// The troubleshooting page, found among the pages.
fn troubleshooting_page() -> Page {
    pages()
        .into_iter()
        .find(|page| page.path.as_os_str() == troubleshooting::PAGE)
        .unwrap_or_else(|| panic!("src/{} does not exist", troubleshooting::PAGE))
}

#[test]
fn every_troubleshooting_message_is_in_the_recording_it_cites() {
    let mut problems = Vec::new();
    for entry in troubleshooting::entries(&troubleshooting_page()) {
        entry.check_messages(&mut problems);
    }
    assert!(
        problems.is_empty(),
        "src/{}:\n{}",
        troubleshooting::PAGE,
        problems.join("\n")
    );
}

#[test]
fn every_troubleshooting_entry_has_its_parts_and_names_real_tests() {
    let entries = troubleshooting::entries(&troubleshooting_page());
    assert!(
        entries.len() >= troubleshooting::AT_LEAST,
        "src/{} has {} entries (### sections); the page promises at least {}",
        troubleshooting::PAGE,
        entries.len(),
        troubleshooting::AT_LEAST
    );
    let mut problems = Vec::new();
    for entry in &entries {
        entry.check_parts(&mut problems);
    }
    assert!(
        problems.is_empty(),
        "src/{}:\n{}",
        troubleshooting::PAGE,
        problems.join("\n")
    );
}

/// The helpers above must catch what they claim to catch: each runs here on a small bad page.
mod the_checks_themselves {
    use super::*;

    fn page(text: &str) -> Page {
        Page {
            path: "ch99-example.md".into(),
            text: text.to_owned(),
        }
    }

    #[test]
    fn a_missing_anchor_is_reported() {
        let bad = page(
            "```rust,ignore\n{{#rustdoc_include ../crates/ch03-probe/src/glibc.rs:no_such_anchor}}\n```\n",
        );
        let include: Include = includes::of(&bad).remove(0);
        let problem = include.check().unwrap_err();
        assert!(problem.contains("no `ANCHOR: no_such_anchor`"), "{problem}");
    }

    #[test]
    fn a_missing_file_is_reported() {
        let bad = page("{{#include ../crates/ch03-probe/no-such-file.txt}}\n");
        let problem = includes::of(&bad).remove(0).check().unwrap_err();
        assert!(problem.contains("does not exist"), "{problem}");
    }

    #[test]
    fn an_unignored_rust_fence_with_an_include_is_caught() {
        let bad =
            page("```rust\n{{#rustdoc_include ../crates/ch03-probe/src/glibc.rs:in_use}}\n```\n");
        let fence = book::fences(&bad).remove(0);
        assert!(
            fence.body.contains("{{#") && book::skeptic_compiles(&fence.info),
            "expected an unignored rust fence with an include to be compiled by skeptic: {:?}",
            fence.info
        );
        let good = page(
            "```rust,ignore\n{{#rustdoc_include ../crates/ch03-probe/src/glibc.rs:in_use}}\n```\n",
        );
        assert!(
            !book::skeptic_compiles(&book::fences(&good).remove(0).info),
            "expected a rust,ignore fence not to be compiled by skeptic"
        );
    }

    const ENTRY: &str = "### cannot define multiple global allocators\n\n\
        - **You see:** `MESSAGE` in\n  \
        `listings/ch09-libraries-do-not-choose/01-libraries-do-not-choose/recorded/two-in-one-crate.txt`.\n\
        - **Cause:** two statics.\n\
        - **Fix:** keep one.\n\
        - **Read:** [Two](ch09-libraries-do-not-choose.md#two-declarations-do-not-compile).\n\
        - **Proved by:** `TEST`.\n";

    fn entry_problems(message: &str, test: &str) -> Vec<String> {
        let text = ENTRY.replace("MESSAGE", message).replace("TEST", test);
        let entries = troubleshooting::entries(&page(&text));
        assert_eq!(entries.len(), 1, "one entry in:\n{text}");
        let mut problems = Vec::new();
        entries[0].check_messages(&mut problems);
        entries[0].check_parts(&mut problems);
        problems
    }

    #[test]
    fn a_troubleshooting_message_not_in_its_recording_or_a_made_up_test_is_caught() {
        let real = "listings/ch09-libraries-do-not-choose/01-libraries-do-not-choose/tests/ch09_libraries_do_not_choose/two_allocators.rs::\
                    two_declarations_in_one_crate_do_not_compile";
        let good = entry_problems("cannot define multiple global allocators", real);
        assert!(good.is_empty(), "{good:?}");
        let drifted = entry_problems("cannot define two global allocators", real);
        assert_eq!(
            drifted.len(),
            2,
            "the message and the recording: {drifted:?}"
        );
        let made_up = entry_problems(
            "cannot define multiple global allocators",
            "listings/ch09-libraries-do-not-choose/01-libraries-do-not-choose/tests/ch09_libraries_do_not_choose/two_allocators.rs::no_such_test",
        );
        assert_eq!(made_up.len(), 1, "{made_up:?}");
    }

    #[test]
    fn an_ignored_test_counts_only_when_it_needs_a_package() {
        let file = book_harness::repo::target_dir().join("integrity-ignored-example.rs");
        std::fs::write(
            &file,
            "#[test]\n#[ignore]\nfn plain() {}\n\n#[test]\n#[ignore = \"needs valgrind (Debian package valgrind): the second test command runs it\"]\nfn needs_a_tool() {}\n",
        )
        .expect("the target directory is writable");
        let named = |name: &str| verified::NamedTest {
            file: file.clone(),
            name: name.to_owned(),
        };
        let plain = named("plain").check();
        let needs = named("needs_a_tool").check();
        let _ = std::fs::remove_file(&file);
        assert!(
            plain.as_ref().is_err_and(|p| p.contains("proves nothing")),
            "expected a plain #[ignore] to be refused, got {plain:?}"
        );
        assert_eq!(needs, Ok(()), "a test that needs a package counts");
    }

    #[test]
    fn a_chapter_without_its_section_or_with_a_made_up_test_is_caught() {
        assert!(
            verified::section(&page("# Title\n\nSome text.\n")).is_err(),
            "expected a page without the section to be refused, it was accepted"
        );
        let made_up = page(
            "# Title\n\n## What we verified\n\n- `tests/book_integrity/main.rs::no_such_test`: nothing.\n",
        );
        let section = verified::section(&made_up).expect("the section is there");
        let mut problems = Vec::new();
        let named = verified::named_tests(&made_up, &section, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            named[0].check().is_err(),
            "expected a made-up test name to fail its check, it passed"
        );
    }
}
