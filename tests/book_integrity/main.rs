//! The book's own consistency. mdbook only logs a missing include or anchor and still exits 0;
//! these tests make each such slip, and each unproven chapter, fail `cargo test`.

mod book;
mod doc_examples;
mod includes;
mod layout;
mod modules;
mod numbers;
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
fn every_listing_is_included_by_its_own_chapter() {
    // (chapter file stem, listing) for each include: `listings/<stem>/<NN-slug>` is shown by
    // src/<stem>.md, the chapter its folder is named after.
    let shown: BTreeSet<(String, String)> = pages()
        .iter()
        .flat_map(|page| {
            let stem = page.path.with_extension("").display().to_string();
            includes::of(page)
                .into_iter()
                .filter_map(move |include| Some((stem.clone(), include.listing()?)))
        })
        .collect();
    let unshown: Vec<String> = book::listings()
        .into_iter()
        .filter(|listing| {
            let chapter = listing.split('/').next().unwrap_or_default().to_owned();
            !shown.contains(&(chapter, listing.clone()))
        })
        .collect();
    assert!(
        unshown.is_empty(),
        "the chapter each listing's folder is named after includes nothing from these listings \
         (include their code there, or remove them): {unshown:?}"
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

#[test]
fn every_test_the_book_names_exists_and_sits_in_a_list() {
    let mut problems = Vec::new();
    for page in pages() {
        let name = page.path.display().to_string();
        let mut found = Vec::new();
        for named in verified::references(&page.text, &mut found) {
            if let Err(problem) = named.check() {
                found.push(problem);
            }
        }
        found.extend(verified::tests_named_outside_lists(&page));
        problems.extend(found.into_iter().map(|p| format!("src/{name}: {p}")));
    }
    assert!(
        problems.is_empty(),
        "tests named in prose, named as paths, or that do not exist:\n{}",
        problems.join("\n")
    );
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
                "the row \"{situation}\" has no \"What we verified\" item starting **{situation}**:"
            )),
            Some(tests) if tests.is_empty() => {
                problems.push(format!("the item for \"{situation}\" names no test"))
            }
            Some(tests) => problems.extend(tests.iter().filter_map(|test| test.check().err())),
        }
    }
    problems.extend(
        rows.keys()
            .map(|left| format!("the item starting **{left}**: matches no row of the table")),
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
        "src/{} should quote at least three workloads under \"{}\" as \"`workload` 1.23 and \
         1.25\" (run 1, run 2); found {quoted:?}",
        quick_answer::PAGE,
        quick_answer::VERDICT
    );
    assert_eq!(
        2 * quoted.len(),
        numbers,
        "every number under \"{}\" in src/{} must be one of the two runs' ratios of the workload \
         it follows, as \"`workload` 1.23 and 1.25\"; {numbers} numbers, {} quotes: {quoted:?}",
        quick_answer::VERDICT,
        quick_answer::PAGE,
        quoted.len()
    );
    let committed = quick_answer::committed_ratios();
    let wrong: Vec<String> = quoted
        .iter()
        .filter(|(workload, ratios)| committed.get(workload) != Some(ratios))
        .map(|(workload, ratios)| {
            format!(
                "`{workload}` {}: {} has {}",
                ratios.join(" and "),
                quick_answer::SUMMARY_CSV,
                committed
                    .get(workload)
                    .map_or("no such workload".to_owned(), |c| format!(
                        "ratio_jemalloc {} (run 1, run 2)",
                        c.join(" and ")
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

#[test]
fn every_public_item_of_the_shared_crates_and_library_listings_has_an_example() {
    let mut problems = Vec::new();
    for krate in doc_examples::crates() {
        let manifest = std::fs::read_to_string(book::root().join(&krate).join("Cargo.toml"))
            .unwrap_or_else(|err| panic!("cannot read {krate}/Cargo.toml: {err}"));
        let sources = doc_examples::library_sources(&krate);
        assert!(!sources.is_empty(), "{krate}/src holds no library source");
        if !doc_examples::doctestable(&manifest) {
            // Cargo runs no doctests here: the crate says so once, and an example would never run.
            let lib = std::fs::read_to_string(book::root().join(&krate).join("src/lib.rs"))
                .unwrap_or_default();
            if !lib
                .lines()
                .any(|line| line.starts_with("//!") && line.contains(doc_examples::NO_EXAMPLE))
            {
                problems.push(format!(
                    "{krate}/src/lib.rs: Cargo runs no doctests for this crate type; say so in the \
                     crate's `//!` docs with a line \"{} <why, and which tests cover it>\"",
                    doc_examples::NO_EXAMPLE
                ));
            }
            continue;
        }
        for source in sources {
            let text = std::fs::read_to_string(&source)
                .unwrap_or_else(|err| panic!("cannot read {}: {err}", source.display()));
            let relative = source.strip_prefix(book::root()).unwrap_or(&source);
            for item in doc_examples::items_without_examples(&text) {
                problems.push(format!("{}:{item}", relative.display()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "these public items have no runnable example in their doc comment (a ``` fence that \
         is not ignore, no_run or compile_fail); add one that asserts what the item does, or \
         a line \"{} <why>\" when the only honest example is slow:\n{}",
        doc_examples::NO_EXAMPLE,
        problems.join("\n")
    );
}

#[test]
fn no_crate_has_an_import_cycle() {
    let (cycles, crates) = modules::cycles_under(book::root());
    assert!(
        crates >= 50,
        "expected to read the module graphs of every crate in the repository (root members, \
         separate workspaces, tests and binaries), read only {crates}"
    );
    assert!(
        cycles.is_empty(),
        "these module files import each other (through `crate::`, `super::` or `self::` paths); \
         move what both need into a module of its own that imports neither:\n{}",
        cycles.join("\n")
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
        - **Proved by:** TEST.\n";

    fn entry_problems(message: &str, test: &str) -> Vec<String> {
        let text = ENTRY.replace("MESSAGE", message).replace("TEST", test);
        let entries = troubleshooting::entries(&page(&text));
        assert_eq!(entries.len(), 1, "one entry in:\n{text}");
        let mut problems = Vec::new();
        entries[0].check_messages(&mut problems);
        entries[0].check_parts(&mut problems);
        problems
    }

    /// Asserts that the section `section` is refused with a problem that mentions `expected`.
    fn assert_refused(section: &str, expected: &str) {
        let problems = section_problems(section);
        assert!(
            problems.iter().any(|problem| problem.contains(expected)),
            "expected a problem mentioning {expected:?} for {section:?}, got {problems:?}"
        );
    }

    #[test]
    fn a_troubleshooting_message_not_in_its_recording_or_a_made_up_test_is_caught() {
        let real = "<code title=\"listings/ch09-libraries-do-not-choose/01-libraries-do-not-choose/\
                    tests/ch09_libraries_do_not_choose/two_allocators.rs::two_declarations_in_one_crate_do_not_compile\">\
                    two_declarations_in_one_crate_do_not_compile</code>";
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
            &real.replace(
                "two_declarations_in_one_crate_do_not_compile",
                "no_such_test",
            ),
        );
        assert_eq!(made_up.len(), 1, "{made_up:?}");
        let as_a_path = entry_problems(
            "cannot define multiple global allocators",
            "`listings/ch09-libraries-do-not-choose/01-libraries-do-not-choose/tests/\
             two_allocators.rs::two_declarations_in_one_crate_do_not_compile`",
        );
        assert!(
            as_a_path.iter().any(|p| p.contains("names no test")),
            "a test written as a path in a code span, the old form, should not count: {as_a_path:?}"
        );
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

    /// A test that exists, in the book's form, and the same with `name` shown and named.
    fn reference(shown: &str, named: &str) -> String {
        format!("<code title=\"tests/book_integrity/main.rs::{named}\">{shown}</code>")
    }

    const REAL: &str = "every_test_named_under_what_we_verified_exists";

    /// The problems `named_tests` and each named test's `check` report for a section.
    fn section_problems(section: &str) -> Vec<String> {
        let page = page(&format!(
            "# Title\n\nText.\n\n## What we verified\n\n{section}"
        ));
        let section = verified::section(&page).expect("the section is there");
        let mut problems = Vec::new();
        for named in verified::named_tests(&page, &section, &mut problems) {
            problems.extend(named.check().err());
        }
        problems
    }

    #[test]
    fn an_item_without_a_runnable_example_is_caught() {
        let item = |docs: &str| format!("{docs}\npub fn item() {{}}\n");
        let missing = |docs: &str| doc_examples::items_without_examples(&item(docs));
        assert_eq!(missing("/// Does a thing."), ["2: pub fn item"]);
        assert_eq!(
            missing("/// ```no_run\n/// item();\n/// ```"),
            ["4: pub fn item"]
        );
        assert_eq!(
            missing("/// ```text\n/// item\n/// ```"),
            ["4: pub fn item"]
        );
        assert!(missing("/// ```\n/// item();\n/// ```\n#[inline]").is_empty());
        assert!(missing("/// No example: it builds a workspace, minutes of work.").is_empty());
        let included = "#[cfg_attr(\n    unix,\n    doc = concat!(\"```rust,standalone_crate\\n\", \
                        include_str!(\"../doctests/x.rs\"), \"```\")\n)]";
        assert!(missing(included).is_empty(), "an included program counts");
        let tests_module = "#[cfg(test)]\nmod tests {\n    pub fn helper() {}\n}\n";
        assert!(doc_examples::items_without_examples(tests_module).is_empty());
    }

    #[test]
    fn only_a_lib_or_rlib_counts_as_doctested() {
        assert!(doc_examples::doctestable("[package]\nname = \"a\"\n"));
        assert!(doc_examples::doctestable(
            "[lib]\ncrate-type = [\"cdylib\", \"rlib\"]\n"
        ));
        assert!(!doc_examples::doctestable(
            "[lib]\ncrate-type = [\"cdylib\"]\n"
        ));
        assert!(!doc_examples::doctestable(
            "[lib]\ncrate-type = [\"staticlib\"]\n"
        ));
        assert!(!doc_examples::doctestable(
            "[lib]\ncrate-type = [\"dylib\"]\n"
        ));
        let checked = doc_examples::crates();
        assert!(
            checked.contains(
                &"listings/ch13-ownership-across-the-boundary/01-ownership-across-the-boundary"
                    .to_owned()
            )
        );
        assert!(
            !checked
                .iter()
                .any(|krate| krate.contains("ch14-benchmarks")),
            "{checked:?}"
        );
    }

    #[test]
    fn a_doctest_program_is_named_by_its_main_and_must_run_standalone() {
        let named = |file: &str, name: &str| verified::NamedTest {
            file: file.into(),
            name: name.to_owned(),
        };
        let program = "crates/ch03-probe/doctests/jemalloc_verdict.rs";
        assert!(named(program, "main").check().is_ok());
        let problem = named(program, "jemalloc_verdict").check().unwrap_err();
        assert!(problem.contains("defines `fn main()`"), "{problem}");
        let source = "#[doc = concat!(\"```rust,standalone_crate\\n\", include_str!(\"../doctests/a.rs\"), \"```\")]\n\
                      #[doc = concat!(\"```rust,ignore\\n\", include_str!(\"../doctests/b.rs\"), \"```\")]";
        let found = verified::doctest_inclusions(source);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(verified::runs_standalone(&found[0].0));
        assert!(
            !verified::runs_standalone(&found[1].0),
            "an ignored fence proves nothing"
        );
        assert!(
            !verified::runs_standalone("rust"),
            "a merged doctest cannot own the allocator"
        );
    }

    #[test]
    fn an_import_cycle_is_named_and_inline_modules_and_children_are_not_cycles() {
        let dir = book_harness::repo::target_dir().join("integrity-module-cycle/src");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("workloads")).expect("the target directory is writable");
        let files = [
            (
                "lib.rs",
                "pub mod report;\npub mod plots;\npub mod workloads;\npub mod stats;\n",
            ),
            // report -> plots through a use tree, plots -> report through an expression path.
            (
                "report.rs",
                "use crate::{stats, plots::{self, draw}};\npub fn md() {}\n",
            ),
            ("plots.rs", "pub fn draw() { crate::report::md(); }\n"),
            // A child naming its parent, and a test module naming its own file: no cycle.
            ("workloads/mod.rs", "pub mod pairs;\npub struct Measured;\n"),
            (
                "workloads/pairs.rs",
                "use super::Measured;\nconst S: &str = \"crate::stats\";\n\
                 #[cfg(test)]\nmod tests {\n    use super::*;\n    fn f() -> char { '{' }\n}\n",
            ),
            (
                "stats.rs",
                "// use crate::report;\npub fn m() { let _ = super::workloads::pairs::S; }\n",
            ),
        ];
        for (name, text) in files {
            std::fs::write(dir.join(name), text).expect("the target directory is writable");
        }
        let krate = modules::Crate::read(&dir.join("lib.rs"));
        let cycles = krate.cycles();
        let _ = std::fs::remove_dir_all(dir.parent().expect("a parent"));
        let names: Vec<Vec<String>> = cycles
            .iter()
            .map(|c| {
                c.iter()
                    .map(|p| {
                        p.file_name()
                            .unwrap_or_default()
                            .to_string_lossy()
                            .into_owned()
                    })
                    .collect()
            })
            .collect();
        assert_eq!(
            names,
            [["plots.rs", "report.rs", "plots.rs"]],
            "expected exactly the report <-> plots cycle, saw {names:?} (edges {:?})",
            krate.edges
        );
    }

    #[test]
    fn a_use_tree_is_flattened_into_the_paths_it_names() {
        assert_eq!(
            modules::flatten_use("crate::{a::{self, B as C}, d}"),
            ["crate::a", "crate::a::B", "crate::d"]
        );
    }

    #[test]
    fn a_chapter_without_its_section_or_with_a_made_up_test_is_caught() {
        assert!(verified::section(&page("# Title\n\nSome text.\n")).is_err());
        let good = section_problems(&format!(
            "- The claim.\\\n  Test: {}\n",
            reference(REAL, REAL)
        ));
        assert!(
            good.is_empty(),
            "expected a real test to pass, got {good:?}"
        );
        let misspelt = "every_test_named_under_what_we_verifed_exists";
        let problems = section_problems(&format!(
            "- The claim.\\\n  Test: {}\n",
            reference(misspelt, misspelt)
        ));
        assert!(
            problems.len() == 1 && problems[0].contains(&format!("no `fn {misspelt}`")),
            "expected a misspelt test to be reported, got {problems:?}"
        );
        let no_file = section_problems(&format!(
            "- The claim.\\\n  Test: {}\n",
            reference(REAL, REAL).replace("main.rs", "deleted.rs")
        ));
        assert!(
            no_file.len() == 1 && no_file[0].contains("cannot be read"),
            "expected a test in a deleted file to be reported, got {no_file:?}"
        );
    }

    #[test]
    fn a_reference_that_shows_another_name_than_its_title_is_caught() {
        assert_refused(
            &format!(
                "- The claim.\\\n  Test: {}\n",
                reference(REAL, &format!("timing_{REAL}"))
            ),
            &format!("shows `{REAL}` but names `timing_{REAL}`"),
        );
        assert_refused(
            &format!("- The claim.\\\n  Test: <code title=\"{REAL}\">{REAL}</code>\n"),
            "path/file.rs::test_name",
        );
        assert_refused(
            &format!(
                "- The claim.\\\n  Test: <code class=\"x\" title=\"tests/book_integrity/main.rs::{REAL}\">{REAL}</code>\n"
            ),
            "not the form the checks read",
        );
    }

    #[test]
    fn an_item_that_starts_with_its_test_or_names_a_path_or_nothing_is_caught() {
        assert_refused(
            &format!("- {}: the claim.\n", reference(REAL, REAL)),
            "starts with its test",
        );
        assert_refused(
            &format!("- The claim: `tests/book_integrity/main.rs::{REAL}`.\n"),
            "as a path in a code span",
        );
        assert_refused("- A claim without a test.\n", "item names no test");
    }

    #[test]
    fn a_long_list_must_be_folded() {
        let item = format!("- The claim.\\\n  Test: {}\n", reference(REAL, REAL));
        let long = item.repeat(verified::FOLD_OVER + 1);
        let unfolded = section_problems(&long);
        assert!(
            unfolded.len() == 1 && unfolded[0].contains("<details>"),
            "expected an unfolded list of {} items to be reported, got {unfolded:?}",
            verified::FOLD_OVER + 1
        );
        let folded = section_problems(&format!(
            "<details>\n<summary>The claims</summary>\n\n{long}\n</details>\n"
        ));
        assert!(
            folded.is_empty(),
            "expected a folded list to pass, got {folded:?}"
        );
        let short = section_problems(&item.repeat(verified::FOLD_OVER));
        assert!(
            short.is_empty(),
            "expected a short list to pass unfolded, got {short:?}"
        );
    }

    #[test]
    fn a_test_named_in_prose_or_a_table_or_as_a_path_is_caught() {
        let in_list = page(&format!(
            "Text.\n\n- The claim.\\\n  Test: {}\n",
            reference(REAL, REAL)
        ));
        let found = verified::tests_named_outside_lists(&in_list);
        assert!(
            found.is_empty(),
            "a reference in a list item is fine: {found:?}"
        );
        let in_prose = page(&format!("Text, as {} checks.\n", reference(REAL, REAL)));
        let found = verified::tests_named_outside_lists(&in_prose);
        assert!(
            found.len() == 1 && found[0].contains("line 1: a test is named in prose"),
            "{found:?}"
        );
        let in_table = page(&format!(
            "| a | b |\n| --- | --- |\n| x | {} |\n",
            reference(REAL, REAL)
        ));
        assert_eq!(verified::tests_named_outside_lists(&in_table).len(), 1);
        let as_path = page("Text.\n\nMore, as `main.rs::every_include_target` checks.\n");
        let found = verified::tests_named_outside_lists(&as_path);
        assert!(
            found.len() == 1 && found[0].contains("line 3: `main.rs::"),
            "{found:?}"
        );
    }
}
