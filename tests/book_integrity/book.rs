//! The book's pages, its summary and its code fences, as the checks see them.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use regex::Regex;

/// A Markdown page under `src/`.
pub struct Page {
    /// Relative to `src/`.
    pub path: PathBuf,
    pub text: String,
}

pub fn root() -> &'static Path {
    book_harness::repo::root()
}

pub fn src() -> PathBuf {
    root().join("src")
}

/// Every `.md` page under `src/`, sorted.
pub fn pages() -> Vec<Page> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir)
            .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()));
        for entry in entries {
            let path = entry.expect("readable directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&src(), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| Page {
            text: std::fs::read_to_string(&path)
                .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display())),
            path: path.strip_prefix(src()).expect("under src/").to_owned(),
        })
        .collect()
}

/// One entry of `SUMMARY.md`; `link` is `None` for a draft chapter (`- [Title]()`). A title may
/// hold escaped brackets: `[History: to #\[global_allocator\]](ch02-history.md)`.
pub struct SummaryEntry {
    pub link: Option<String>,
}

pub fn summary() -> Vec<SummaryEntry> {
    static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^\s*(?:[-*]\s+)?\[(?:\\.|[^\]\\])+\]\(([^)]*)\)").expect("valid regex")
    });
    let text =
        std::fs::read_to_string(src().join("SUMMARY.md")).expect("src/SUMMARY.md is readable");
    ENTRY
        .captures_iter(&text)
        .map(|caps| {
            let link = caps[1].trim().trim_start_matches("./");
            SummaryEntry {
                link: (!link.is_empty()).then(|| link.to_owned()),
            }
        })
        .collect()
}

/// `chNN-slug.md` or `appendix-slug.md`.
pub fn has_page_name(link: &str) -> bool {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(ch\d\d|appendix)-[a-z0-9]+(-[a-z0-9]+)*\.md$").expect("valid regex")
    });
    NAME.is_match(link)
}

/// A numbered chapter (`chNN-*.md`): it must end with "What we verified". Appendices need not.
pub fn is_written_chapter(page: &Page) -> bool {
    page.path
        .to_str()
        .is_some_and(|path| path.starts_with("ch") && has_page_name(path))
}

/// Every listing crate: `<chapter-file-stem>/<NN>-<slug>` under `listings/`.
pub fn listings() -> Vec<String> {
    let mut names = Vec::new();
    for chapter in subdirectories(&root().join("listings")) {
        for listing in subdirectories(&root().join("listings").join(&chapter)) {
            names.push(format!("{chapter}/{listing}"));
        }
    }
    names.sort();
    names
}

/// The names of the directories directly inside `dir`.
pub fn subdirectories(dir: &Path) -> Vec<String> {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()));
    let mut names: Vec<String> = entries
        .filter_map(|entry| {
            let entry = entry.ok()?;
            entry
                .path()
                .is_dir()
                .then(|| entry.file_name().to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    names
}

/// A fenced code block.
pub struct Fence {
    pub info: String,
    pub body: String,
    /// 1-based line of the opening fence.
    pub line: usize,
}

pub fn fences(page: &Page) -> Vec<Fence> {
    let mut fences = Vec::new();
    let mut open: Option<Fence> = None;
    for (event, range) in Parser::new(&page.text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some(Fence {
                    info: info.into_string(),
                    body: String::new(),
                    line: page.text[..range.start].lines().count() + 1,
                });
            }
            Event::Text(text) => {
                if let Some(fence) = open.as_mut() {
                    fence.body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => fences.extend(open.take()),
            _ => {}
        }
    }
    fences
}

/// Whether skeptic 0.14 compiles a fence with this info string: its tokens include `rust`
/// (skeptic reads `rust,no_run` or `rust,noplayground` as Rust too) and not `ignore`.
pub fn skeptic_compiles(info: &str) -> bool {
    let mut tokens = info
        .split(|c: char| !(c == '_' || c == '-' || c.is_alphanumeric()))
        .filter(|token| !token.is_empty());
    let tokens: Vec<&str> = tokens.by_ref().collect();
    tokens.contains(&"rust") && !tokens.contains(&"ignore")
}
