//! The "What we verified" section that ends every chapter, and the tests the book names.
//!
//! The book names a test in one form only, which shows the test's name and keeps its file in the
//! title (a reader sees it on hover, and theme/test-links.js links it to the file when the book is
//! published from a repository):
//!
//! ```text
//! <code title="path/from/the/root/file.rs::test_name">test_name</code>
//! ```
//!
//! Each item of the section's list states its claim first, then names the tests that check it.
//! A list longer than [`FOLD_OVER`] items sits in a `<details>` block, so the chapter does not end
//! with screens of tests. Outside list items (in prose, tables, headings) the book names no test,
//! in this form or as a path in a code span.
//!
//! A doctest that is a program of its own lives in a crate's `doctests/` folder (so that a
//! chapter can include it) and is named with the title `crates/<crate>/doctests/<file>.rs::main`: the
//! file defines `fn main`, and a doc comment of the crate's `src/` runs it, through
//! `#[doc = concat!("```rust,standalone_crate\n", include_str!("../doctests/<file>.rs"), ...)]`.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use regex::Regex;

use crate::book::{Page, root};

pub const HEADING: &str = "What we verified";

/// The section's raw Markdown (without its heading).
pub struct Section(pub String);

/// Finds the section; it must exist and be the chapter's last section at its level.
pub fn section(page: &Page) -> Result<Section, String> {
    let mut headings: Vec<(HeadingLevel, String, usize, usize)> = Vec::new();
    let mut current: Option<(HeadingLevel, String, usize)> = None;
    for (event, range) in Parser::new(&page.text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some((level, String::new(), range.start))
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, title, _)) = current.as_mut() {
                    title.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, title, start)) = current.take() {
                    headings.push((level, title, start, range.end));
                }
            }
            _ => {}
        }
    }
    let position = headings
        .iter()
        .position(|(_, title, _, _)| title.trim() == HEADING)
        .ok_or_else(|| {
            format!(
                "src/{} has no \"{HEADING}\" section; end the chapter with one that names the tests backing it",
                page.path.display()
            )
        })?;
    let (level, _, _, body_start) = &headings[position];
    if let Some((_, later, _, _)) = headings[position + 1..].iter().find(|(l, ..)| l <= level) {
        return Err(format!(
            "src/{}: \"{HEADING}\" must end the chapter, but \"{later}\" follows it",
            page.path.display()
        ));
    }
    let body_end = headings[position + 1..]
        .first()
        .map_or(page.text.len(), |(_, _, start, _)| *start);
    Ok(Section(page.text[*body_start..body_end].to_owned()))
}

/// A section whose list is longer than this sits in `<details>`.
pub const FOLD_OVER: usize = 5;

/// A test the book names.
#[derive(Debug)]
pub struct NamedTest {
    /// From the repository root.
    pub file: PathBuf,
    pub name: String,
}

/// `<code title="...">shown</code>`: a test reference, well formed or not.
static REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"<code title="([^"]*)">([^<]*)</code>"#).expect("valid regex"));

/// A test's path, as a title holds it.
static TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([\w./-]+\.rs)::(\w+)$").expect("valid regex"));

/// A test path in a code span (`` `path/file.rs::name` `` or `` `file.rs::name` ``): the form the
/// book no longer shows.
static PATH_IN_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"`[^`]*\.rs::\w[^`]*`").expect("valid regex"));

/// The tests some Markdown names, in order. A reference whose title is not
/// `path/file.rs::test_name`, or which shows another name than its title's, is reported in
/// `problems` instead.
pub fn references(markdown: &str, problems: &mut Vec<String>) -> Vec<NamedTest> {
    static ANY_TITLED_CODE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"<code\b[^>]*\btitle\s*=[^>]*>").expect("valid regex"));
    for tag in ANY_TITLED_CODE.find_iter(markdown) {
        if !tag.as_str().starts_with("<code title=\"") || tag.as_str().matches('"').count() != 2 {
            problems.push(format!(
                "`{}` is not the form the checks read; write exactly \
                 <code title=\"path/file.rs::test_name\">test_name</code>",
                tag.as_str()
            ));
        }
    }
    let mut tests = Vec::new();
    for caps in REFERENCE.captures_iter(markdown) {
        let (title, shown) = (&caps[1], &caps[2]);
        let Some(parts) = TITLE.captures(title) else {
            problems.push(format!(
                "the test reference `{}` has the title \"{title}\"; write the test's path from the \
                 repository root and its name, as `path/file.rs::test_name`",
                &caps[0]
            ));
            continue;
        };
        if shown != &parts[2] {
            problems.push(format!(
                "the test reference `{}` shows `{shown}` but names `{}`; show the name its title \
                 gives (after a rename, the README's \"Writing for the book\" updates both)",
                &caps[0], &parts[2]
            ));
            continue;
        }
        tests.push(NamedTest {
            file: PathBuf::from(&parts[1]),
            name: parts[2].to_owned(),
        });
    }
    tests
}

/// The tests the section's list items name. An item that names no test, starts with its test
/// instead of its claim, or names a test as a path in a code span; a section that names none; and
/// a long list not folded in `<details>`: each is reported in `problems`.
pub fn named_tests(page: &Page, section: &Section, problems: &mut Vec<String>) -> Vec<NamedTest> {
    let page_name = page.path.display();
    let mut tests = Vec::new();
    let items = list_items(&section.0);
    for item in &items {
        let mut found = Vec::new();
        let named = references(item, &mut found);
        problems.extend(found.into_iter().map(|p| format!("src/{page_name}: {p}")));
        if let Some(path) = PATH_IN_CODE.find(item) {
            problems.push(format!(
                "src/{page_name}: this \"{HEADING}\" item names a test as a path in a code span \
                 ({}); write <code title=\"path/file.rs::test_name\">test_name</code>: {item}",
                path.as_str()
            ));
        } else if named.is_empty() {
            problems.push(format!(
                "src/{page_name}: this \"{HEADING}\" item names no test; end its claim with \
                 <code title=\"path/file.rs::test_name\">test_name</code>: {item}"
            ));
        } else if REFERENCE.find(item).is_some_and(|first| first.start() == 0) {
            problems.push(format!(
                "src/{page_name}: this \"{HEADING}\" item starts with its test; state the claim \
                 first, then the test: {item}"
            ));
        }
        tests.extend(named);
    }
    if tests.is_empty() {
        problems.push(format!(
            "src/{page_name}: \"{HEADING}\" names no test; list each claim with its test, as \
             <code title=\"path/file.rs::test_name\">test_name</code>"
        ));
    }
    if items.len() > FOLD_OVER && !is_folded(&section.0) {
        problems.push(format!(
            "src/{page_name}: \"{HEADING}\" lists {} items; fold a list longer than {FOLD_OVER} \
             in <details> with a <summary>, so the chapter does not end with screens of tests",
            items.len()
        ));
    }
    tests
}

/// Every list item of the section lies between `<details>` + `<summary>` and `</details>`.
fn is_folded(markdown: &str) -> bool {
    let lines: Vec<&str> = markdown.lines().collect();
    let first_item = lines.iter().position(|line| line.starts_with("- "));
    let last_item = lines.iter().rposition(|line| line.starts_with("- "));
    let (Some(first), Some(last)) = (first_item, last_item) else {
        return true;
    };
    let opened = lines[..first]
        .iter()
        .rposition(|line| line.trim() == "<details>")
        .is_some_and(|open| {
            lines[open..first]
                .iter()
                .any(|line| line.trim_start().starts_with("<summary>"))
        });
    let closed = lines[last..].iter().any(|line| line.trim() == "</details>");
    opened && closed
}

/// The places in a page where a test is named outside a list item (in prose, a table or a
/// heading), or shown as a path in a code span, each as "line N: what".
pub fn tests_named_outside_lists(page: &Page) -> Vec<String> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    let line_of = |offset: usize| page.text[..offset].matches('\n').count() + 1;
    for (event, range) in Parser::new(&page.text).into_offset_iter() {
        match event {
            Event::Start(Tag::Item) => depth += 1,
            Event::End(TagEnd::Item) => depth = depth.saturating_sub(1),
            Event::Code(code) if code.contains(".rs::") => {
                found.push(format!(
                    "line {}: `{code}` shows a test's path; name the test as \
                     <code title=\"path/file.rs::test_name\">test_name</code> in a list",
                    line_of(range.start)
                ));
            }
            Event::InlineHtml(html) | Event::Html(html)
                if depth == 0 && html.starts_with("<code") && html.contains("title") =>
            {
                found.push(format!(
                    "line {}: a test is named in prose; keep the claim here and move the test to \
                     the \"{HEADING}\" list",
                    line_of(range.start)
                ));
            }
            _ => {}
        }
    }
    found
}

/// The top-level list items of some Markdown, each with its continuation lines joined by spaces.
pub fn list_items(markdown: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut in_item = false;
    for line in markdown.lines() {
        if let Some(start) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
            items.push(start.trim().to_owned());
            in_item = true;
        } else if in_item && line.starts_with(char::is_whitespace) && !line.trim().is_empty() {
            let item = items.last_mut().expect("an item is open");
            item.push(' ');
            item.push_str(line.trim());
        } else {
            in_item = false;
        }
    }
    items
}

impl NamedTest {
    /// The file exists and defines `fn <name>` marked `#[test]`, and not `#[ignore]`d unless it needs
    /// a distribution package (the README's second test command runs those).
    pub fn check(&self) -> Result<(), String> {
        let path = root().join(&self.file);
        let text = std::fs::read_to_string(&path).map_err(|err| {
            format!(
                "`{}` names a file that cannot be read: {err}",
                self.display()
            )
        })?;
        if self.file.parent().and_then(Path::file_name) == Some("doctests".as_ref()) {
            return self.check_doctest(&text);
        }
        let lines: Vec<&str> = text.lines().collect();
        let definition = Regex::new(&format!(r"^\s*(pub(\(\w+\))?\s+)?fn\s+{}\s*\(", self.name))
            .expect("a test name makes a valid regex");
        let at = lines
            .iter()
            .position(|line| definition.is_match(line))
            .ok_or_else(|| {
                format!(
                    "`{}`: no `fn {}` in {}",
                    self.display(),
                    self.name,
                    self.file.display()
                )
            })?;
        let attributes: Vec<&str> = lines[..at]
            .iter()
            .rev()
            .map(|line| line.trim())
            .take_while(|line| line.starts_with("#[") || line.starts_with("///"))
            .collect();
        if !attributes.contains(&"#[test]") {
            return Err(format!("`{}` is not marked #[test]", self.display()));
        }
        // A test that needs a distribution package is ignored by the README's first command and
        // run by its second (`-- --ignored`); its reason says so. Any other ignore proves nothing.
        if let Some(ignore) = attributes.iter().find(|a| a.starts_with("#[ignore"))
            && !ignore.starts_with("#[ignore = \"needs ")
        {
            return Err(format!(
                "`{}` is {ignore}, so it proves nothing; only a test that needs a \
                 distribution package may be ignored, with a reason starting \"needs \"",
                self.display()
            ));
        }
        Ok(())
    }

    /// A doctest program (`<crate>/doctests/<file>.rs::main`): it defines `fn main`, and a file
    /// of the crate's `src/` includes it into a doc comment as a fence that rustdoc runs as a
    /// crate of its own (`standalone_crate`, without `ignore`, `no_run` or `compile_fail`).
    fn check_doctest(&self, text: &str) -> Result<(), String> {
        if self.name != "main" || !text.lines().any(|line| line.starts_with("fn main()")) {
            return Err(format!(
                "`{}`: a doctest program is named `{}::main` and defines `fn main()`",
                self.display(),
                self.file.display()
            ));
        }
        let program = root().join(&self.file);
        let krate = program
            .parent()
            .and_then(Path::parent)
            .ok_or_else(|| format!("`{}` is not inside a crate", self.display()))?;
        let mut fences = Vec::new();
        for source in rust_files(&krate.join("src")) {
            let text = std::fs::read_to_string(&source).unwrap_or_default();
            for (info, included) in doctest_inclusions(&text) {
                let resolved = source.parent().map(|dir| dir.join(&included));
                if resolved.and_then(|path| path.canonicalize().ok()) == program.canonicalize().ok()
                {
                    fences.push(info);
                }
            }
        }
        match fences.iter().find(|info| runs_standalone(info)) {
            Some(_) => Ok(()),
            None => Err(format!(
                "`{}`: no doc comment under {}/src runs this program as a doctest; add \
                 #[doc = concat!(\"```rust,standalone_crate\\n\", include_str!(\"<path>\"), \"```\")] \
                 (found fences: {fences:?})",
                self.display(),
                krate.strip_prefix(root()).unwrap_or(krate).display()
            )),
        }
    }

    fn display(&self) -> String {
        format!("{}::{}", self.file.display(), self.name)
    }
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}

/// The doctests that `source` builds from other files: for each
/// `concat!("```<info>\n", include_str!("<path>"), ...)`, the fence's info string and the path.
pub fn doctest_inclusions(source: &str) -> Vec<(String, String)> {
    static INCLUDED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"concat!\(\s*"```([^"\\]*)\\n",\s*include_str!\("([^"]+)"\)"#)
            .expect("valid regex")
    });
    INCLUDED
        .captures_iter(source)
        .map(|caps| (caps[1].to_owned(), caps[2].to_owned()))
        .collect()
}

/// Whether rustdoc runs a fence with this info string as a program of its own.
pub fn runs_standalone(info: &str) -> bool {
    let words: Vec<&str> = info.split([',', ' ']).map(str::trim).collect();
    words.contains(&"standalone_crate")
        && !words
            .iter()
            .any(|word| ["ignore", "no_run", "compile_fail", "text"].contains(word))
}
