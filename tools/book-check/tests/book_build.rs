//! Builds the book and checks its links through mdbook's and mdbook-linkcheck2's libraries, so a
//! broken book fails `cargo test` with nothing installed. The book goes to `target/book-test/`,
//! leaving the reader's `book/` alone. The root's tests/allocator_book/book_build.rs runs these tests.
//!
//! The build records every warning mdbook (through `tracing`) and mdbook-linkcheck2 (through `log`)
//! print while rendering, and a test fails on any: mdbook renders past an unclosed HTML tag or an
//! ignored setting, and only warns.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex, OnceLock};

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

/// Every warning or error logged while the book was built, as `LEVEL target: message`.
static WARNINGS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record_warning(line: String) {
    WARNINGS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(line);
}

/// A `tracing` subscriber that keeps warnings and errors (mdbook logs through `tracing`).
struct TracingWarnings;

/// Writes an event's message and fields into one line.
struct Line(String);

impl tracing::field::Visit for Line {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}

impl tracing::Subscriber for TracingWarnings {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        // In `tracing`, less verbose levels compare smaller: this is WARN and ERROR.
        *metadata.level() <= tracing::Level::WARN
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::WARN)
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let metadata = event.metadata();
        let mut line = Line(format!("{} {}: ", metadata.level(), metadata.target()));
        event.record(&mut line);
        record_warning(line.0);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

/// A `log` logger that keeps warnings and errors (mdbook-linkcheck2 logs through `log`).
struct LogWarnings;

impl log::Log for LogWarnings {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            record_warning(format!(
                "{} {}: {}",
                record.level(),
                record.target(),
                record.args()
            ));
        }
    }

    fn flush(&self) {}
}

/// The rendered book: where its HTML is, and what was logged while building it.
struct Built {
    html: PathBuf,
    warnings: Vec<String>,
}

fn out_dir() -> PathBuf {
    book_harness::repo::target_dir().join("book-test")
}

/// Builds the HTML book and runs the link check once per test process, recording what mdbook and
/// the link check log; later callers get the same result.
fn built() -> &'static Result<Built, String> {
    static BUILT: OnceLock<Result<Built, String>> = OnceLock::new();
    BUILT.get_or_init(|| {
        // Only this process's first build sets the logger; `tracing` is scoped to this thread,
        // which is the one that renders.
        let _ = log::set_boxed_logger(Box::new(LogWarnings));
        log::set_max_level(log::LevelFilter::Warn);
        let html = tracing::subscriber::with_default(TracingWarnings, build)?;
        let warnings = std::mem::take(
            &mut *WARNINGS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        Ok(Built { html, warnings })
    })
}

fn build() -> Result<PathBuf, String> {
    let root = book_harness::repo::root();
    let mut book = MDBook::load(root).map_err(|err| format!("cannot load the book: {err:#}"))?;
    let _ = std::fs::remove_dir_all(out_dir());
    book.config.build.build_dir = out_dir();
    book.execute_build_process(&HtmlHandlebars::new())
        .map_err(|err| format!("the HTML build failed: {err:#}"))?;
    book.execute_build_process(&LinkCheck)
        .map_err(|err| format!("the link check failed (its report is on stderr above): {err:#}"))?;
    Ok(book.build_dir_for("html"))
}

fn html_dir() -> &'static Path {
    &built().as_ref().unwrap_or_else(|err| panic!("{err}")).html
}

/// Whether `warning` is the link check's notice that it leaves a `#fragment` unchecked, which
/// `every_fragment_link_names_a_rendered_heading` checks instead.
fn fragment_left_to_the_fragment_test(warning: &str) -> bool {
    warning.starts_with("WARN linkcheck2")
        && warning.ends_with("because fragment resolution isn't implemented")
}

#[test]
fn the_book_renders_without_a_warning() {
    let warnings: Vec<&String> = built()
        .as_ref()
        .unwrap_or_else(|err| panic!("{err}"))
        .warnings
        .iter()
        .filter(|w| !fragment_left_to_the_fragment_test(w))
        .collect();
    assert!(
        warnings.is_empty(),
        "expected mdbook and the link check to render the book without a warning, saw {}:\n{}",
        warnings.len(),
        warnings
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_search_index_is_rendered_and_holds_the_chapters() {
    let html = html_dir();
    // mdbook 0.5.4 writes `searchindex.js`, renamed `searchindex-<hash>.js` when hash-files is on.
    let index: Vec<PathBuf> = std::fs::read_dir(html)
        .expect("the rendered book is listable")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("searchindex") && n.ends_with(".js"))
        })
        .collect();
    assert_eq!(
        index.len(),
        1,
        "expected one searchindex*.js in {}, as book.toml enables search, saw {index:?}",
        html.display()
    );
    let text = std::fs::read_to_string(&index[0])
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", index[0].display()));
    for word in ["jemalloc", "mallinfo2", "oversize_threshold"] {
        assert!(
            text.contains(word),
            "expected the search index {} to hold {word:?}; it has {} bytes",
            index[0].display(),
            text.len()
        );
    }
    let name = index[0]
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a file name");
    let page = std::fs::read_to_string(html.join("index.html")).expect("index.html is readable");
    assert!(
        page.contains(name),
        "expected index.html to point the search at {name}"
    );
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
