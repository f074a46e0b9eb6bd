//! The "What we verified" section that ends every chapter, and the tests it names.
//!
//! Each item of the section's list starts with a test named as `` `path/to/file.rs::test_name` ``
//! (the path from the repository root), followed by what that test proves.
//!
//! A doctest that is a program of its own lives in a crate's `doctests/` folder (so that a
//! chapter can include it) and is named as `` `crates/<crate>/doctests/<file>.rs::main` ``: the
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

/// A test named in the section.
pub struct NamedTest {
    /// From the repository root.
    pub file: PathBuf,
    pub name: String,
}

/// The tests the section's list items name. An item that does not start with a test name, or a
/// section without any, is reported in `problems`.
pub fn named_tests(page: &Page, section: &Section, problems: &mut Vec<String>) -> Vec<NamedTest> {
    static NAMED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"`([\w./-]+\.rs)::(\w+)`").expect("valid regex"));
    let mut tests = Vec::new();
    for item in list_items(&section.0) {
        if NAMED.find(&item).is_none_or(|first| first.start() != 0) {
            problems.push(format!(
                "src/{}: this \"{HEADING}\" item does not start with a test (`path/file.rs::test_name`): {item}",
                page.path.display()
            ));
        }
        tests.extend(NAMED.captures_iter(&item).map(|caps| NamedTest {
            file: PathBuf::from(&caps[1]),
            name: caps[2].to_owned(),
        }));
    }
    if tests.is_empty() {
        problems.push(format!(
            "src/{}: \"{HEADING}\" names no test; list each as `path/file.rs::test_name`",
            page.path.display()
        ));
    }
    tests
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
