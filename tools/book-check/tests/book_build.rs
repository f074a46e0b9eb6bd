//! Builds the book and checks its links through mdbook's and mdbook-linkcheck2's libraries, so a
//! broken book fails `cargo test` with nothing installed. The book goes to `target/book-test/`,
//! leaving the reader's `book/` alone. The root's tests/book_build.rs runs these tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, OnceLock};

use codespan_reporting::term::termcolor::ColorChoice;
use mdbook_driver::MDBook;
use mdbook_html::HtmlHandlebars;
use mdbook_renderer::{RenderContext, Renderer};
use regex::Regex;

/// The `[output.linkcheck]` backend, run in this process.
struct LinkCheck;

impl Renderer for LinkCheck {
    fn name(&self) -> &str {
        "linkcheck"
    }

    fn render(&self, ctx: &RenderContext) -> mdbook_renderer::errors::Result<()> {
        mdbook_linkcheck2::run(None, ColorChoice::Never, ctx, None)
    }
}

fn out_dir() -> PathBuf {
    book_harness::repo::target_dir().join("book-test")
}

/// Builds the HTML book and runs the link check once per test process; later callers get the
/// same result.
fn built() -> &'static Result<PathBuf, String> {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let root = book_harness::repo::root();
        let mut book =
            MDBook::load(root).map_err(|err| format!("cannot load the book: {err:#}"))?;
        let _ = std::fs::remove_dir_all(out_dir());
        book.config.build.build_dir = out_dir();
        book.execute_build_process(&HtmlHandlebars::new())
            .map_err(|err| format!("the HTML build failed: {err:#}"))?;
        book.execute_build_process(&LinkCheck).map_err(|err| {
            format!("the link check failed (its report is on stderr above): {err:#}")
        })?;
        Ok(book.build_dir_for("html"))
    })
}

fn html_dir() -> &'static Path {
    built().as_ref().unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn the_book_builds_and_every_link_resolves() {
    let html = html_dir();
    for page in [
        "index.html",
        "ch01-introduction.html",
        "ch03-telling-allocators-apart.html",
    ] {
        assert!(
            html.join(page).is_file(),
            "{page} was not rendered into {}",
            html.display()
        );
    }
}

/// A link from one rendered page to a fragment of another (or the same) page.
struct FragmentLink {
    from: String,
    page: String,
    fragment: String,
}

/// The rendered chapters: each page's element ids, and its links that carry a fragment.
#[derive(Default)]
struct Rendered {
    ids: BTreeMap<String, BTreeSet<String>>,
    links: Vec<FragmentLink>,
}

fn read_rendered(html: &Path) -> Rendered {
    static ID: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"\bid="([^"]+)""#).expect("valid regex"));
    static HREF: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r##"\bhref="([^"#:]*)#([^"]+)""##).expect("valid regex"));
    let mut rendered = Rendered::default();
    for entry in std::fs::read_dir(html).expect("the rendered book is listable") {
        let path = entry.expect("a directory entry").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        // print.html renumbers every id to put all chapters on one page; chapters are checked one by one.
        if !name.ends_with(".html") || name == "print.html" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a rendered page is readable");
        rendered.ids.insert(
            name.clone(),
            ID.captures_iter(&text).map(|c| c[1].to_owned()).collect(),
        );
        for caps in HREF.captures_iter(&text) {
            rendered.links.push(FragmentLink {
                from: name.clone(),
                page: if caps[1].is_empty() {
                    name.clone()
                } else {
                    caps[1].to_owned()
                },
                fragment: caps[2].to_owned(),
            });
        }
    }
    rendered
}

#[test]
fn every_fragment_link_names_a_rendered_heading() {
    // Neither mdbook nor mdbook-linkcheck2 checks `#fragment`s; a renamed heading breaks them silently.
    let Rendered { ids, links } = read_rendered(html_dir());
    let broken: Vec<String> = links
        .into_iter()
        .filter(|link| {
            !ids.get(&link.page)
                .is_some_and(|set| set.contains(&link.fragment))
        })
        .map(|link| {
            format!(
                "{} links to {}#{}, which has no such id",
                link.from, link.page, link.fragment
            )
        })
        .collect();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
