//! Every line of every code and output block the rendered book shows fits the text column:
//! at most `book_harness::width::COLUMNS` (88) characters, counted after mdbook expanded the
//! `{{#include}}` and `{{#rustdoc_include}}` directives. Lines that `rustdoc_include` hides (the
//! code around an anchor, which a reader sees only after asking for it) do not count.
//!
//! A block that cannot fit (output the book quotes from a tool it does not control) is listed in
//! `wide-lines.txt` with its reason; at most five may be. The root's tests/book_build.rs runs
//! these tests, so the README's first command checks the width with nothing installed.

use std::path::{Path, PathBuf};
use std::sync::{LazyLock, OnceLock};

use book_harness::width::COLUMNS;
use mdbook_driver::MDBook;
use mdbook_html::HtmlHandlebars;
use regex::Regex;

/// The allowlist, next to this crate's Cargo.toml.
const ALLOWLIST: &str = "wide-lines.txt";
/// The most entries the allowlist may hold.
const MOST_ALLOWED: usize = 5;

/// A line wider than the column: on `page`, in the `block`-th code block (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
struct WideLine {
    page: String,
    block: usize,
    line: String,
}

impl WideLine {
    /// What the allowlist names it by: the page and the line's first 60 characters.
    fn key(&self) -> String {
        format!(
            "{}\t{}",
            self.page,
            self.line.chars().take(60).collect::<String>()
        )
    }
}

/// Renders the book with mdbook's library once per test process, into `target/book-width/`.
fn html_dir() -> &'static Path {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let root = book_harness::repo::root();
            let out = book_harness::repo::target_dir().join("book-width");
            let mut book =
                MDBook::load(root).map_err(|err| format!("cannot load the book: {err:#}"))?;
            let _ = std::fs::remove_dir_all(&out);
            book.config.build.build_dir = out;
            book.execute_build_process(&HtmlHandlebars::new())
                .map_err(|err| format!("the HTML build failed: {err:#}"))?;
            Ok(book.build_dir_for("html"))
        })
        .as_ref()
        .unwrap_or_else(|err| panic!("{err}"))
}

/// The text a reader sees in each `<pre><code>` block of a rendered page, hidden lines left out.
fn shown_blocks(html: &str) -> Vec<String> {
    static BLOCK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?s)<pre><code[^>]*>(.*?)</code></pre>").expect("valid regex")
    });
    // mdbook 0.5 wraps each hidden line, its newline included, in one such span.
    static HIDDEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?s)<span class="boring">.*?</span>"#).expect("valid regex")
    });
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("valid regex"));
    BLOCK
        .captures_iter(html)
        .map(|caps| {
            let shown = HIDDEN.replace_all(&caps[1], "");
            unescape(&TAG.replace_all(&shown, ""))
        })
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The lines wider than the column in the blocks of one page.
fn wide_lines(page: &str, html: &str) -> Vec<WideLine> {
    shown_blocks(html)
        .iter()
        .enumerate()
        .flat_map(|(index, block)| {
            block
                .lines()
                .filter(|line| line.chars().count() > COLUMNS)
                .map(move |line| WideLine {
                    page: page.to_owned(),
                    block: index + 1,
                    line: line.to_owned(),
                })
        })
        .collect()
}

/// The chapters as rendered: every `.html` page but mdbook's print, 404 and contents pages.
fn rendered_pages(html: &Path) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = std::fs::read_dir(html)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", html.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_owned();
            let skip = ["print.html", "404.html", "toc.html"].contains(&name.as_str());
            (name.ends_with(".html") && !skip).then(|| {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
                (name, text)
            })
        })
        .collect();
    pages.sort();
    pages
}

/// `page<TAB>line prefix<TAB>reason` entries; a reason is required. A prefix of `*` stands for
/// every line of the page.
fn allowlist() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(ALLOWLIST);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert!(
                fields.len() == 3 && !fields[2].trim().is_empty(),
                "{ALLOWLIST}: expected `page<TAB>the line's first 60 characters<TAB>reason`, \
                 saw {line:?}"
            );
            (
                format!("{}\t{}", fields[0], fields[1]),
                fields[2].to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_shown_line_of_every_code_block_fits_the_column() {
    let allowed = allowlist();
    assert!(
        allowed.len() <= MOST_ALLOWED,
        "expected at most {MOST_ALLOWED} entries in tools/book-check/{ALLOWLIST}, saw {}",
        allowed.len()
    );
    let pages = rendered_pages(html_dir());
    assert!(
        pages.len() >= 20,
        "expected the book's chapters in {}, saw {} pages",
        html_dir().display(),
        pages.len()
    );
    let wide: Vec<WideLine> = pages
        .iter()
        .flat_map(|(page, html)| wide_lines(page, html))
        .collect();
    let covers = |key: &str, line: &WideLine| {
        key == line.key() || key.strip_suffix("\t*") == Some(line.page.as_str())
    };
    let mut problems: Vec<String> = wide
        .iter()
        .filter(|line| !allowed.iter().any(|(key, _)| covers(key, line)))
        .map(|line| {
            format!(
                "{} block {}: {} characters, more than {COLUMNS}:\n    {}",
                line.page,
                line.block,
                line.line.chars().count(),
                line.line
            )
        })
        .collect();
    problems.extend(
        allowed
            .iter()
            .filter(|(key, _)| !wide.iter().any(|line| covers(key, line)))
            .map(|(key, _)| {
                format!(
                    "tools/book-check/{ALLOWLIST} lists a line that fits now (or is gone): {key}"
                )
            }),
    );
    assert!(
        problems.is_empty(),
        "{} problems with the width of code blocks (break command lines with ` \\`, wrap \
         comments and code, shorten program output):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn hidden_lines_do_not_count_and_entities_count_as_one_character() {
    let wide = "x".repeat(COLUMNS + 1);
    let html = format!(
        "<pre><code class=\"language-rust\"><span class=\"boring\">{wide}\n</span>fn main() {{}}\n\
         </code></pre>\n<pre><code>{}&lt;\n{wide}\n</code></pre>",
        "y".repeat(COLUMNS - 1)
    );
    let found = wide_lines("page.html", &html);
    assert_eq!(
        found,
        [WideLine {
            page: "page.html".to_owned(),
            block: 2,
            line: wide.clone(),
        }],
        "expected only the shown line of {} characters in the second block",
        COLUMNS + 1
    );
}
