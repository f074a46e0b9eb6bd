//! The troubleshooting page: entries keyed by what the reader sees, each quoting messages from
//! recordings that tests make again, so the page cannot drift from what the toolchain prints.
//!
//! An entry is a `###` section with five list items, in any order:
//! - `**You see:**` the message(s) as code spans, and the recording(s) they come from as code
//!   spans of paths ending in `.txt`; or, for a symptom without a message, text starting with
//!   "no message";
//! - `**Cause:**`, `**Fix:**`;
//! - `**Read:**` with at least one link to a chapter;
//! - `**Proved by:**` with the tests, in the book's one form:
//!   `<code title="path/file.rs::test_name">test_name</code>` (see `verified`).

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::book::{Page, root};

/// The page, relative to `src/`.
pub const PAGE: &str = "ch01-02-troubleshooting.md";

/// How many entries the page must have at least.
pub const AT_LEAST: usize = 10;

const PARTS: [&str; 5] = ["You see:", "Cause:", "Fix:", "Read:", "Proved by:"];

/// One list item of an entry: its label, its text (code spans included, backticks removed), its
/// Markdown after the label as written (inline HTML included), and its code spans and link targets.
#[derive(Debug, Default)]
struct Item {
    label: String,
    text: String,
    raw: String,
    code: Vec<String>,
    links: Vec<String>,
}

/// One `###` entry.
#[derive(Debug)]
pub struct Entry {
    pub title: String,
    items: Vec<Item>,
}

/// The entries of the page's Markdown.
pub fn entries(page: &Page) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut in_title = false;
    let mut in_strong = false;
    let mut depth = 0usize;
    for event in Parser::new(&page.text) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                in_title = level == HeadingLevel::H3;
                if in_title {
                    entries.push(Entry {
                        title: String::new(),
                        items: Vec::new(),
                    });
                } else if level <= HeadingLevel::H2 {
                    // A new group or the closing section: no entry is open any more.
                    entries.push(Entry {
                        title: String::from("(not an entry)"),
                        items: Vec::new(),
                    });
                }
            }
            Event::End(TagEnd::Heading(_)) => in_title = false,
            Event::Start(Tag::Item) => {
                depth += 1;
                if depth == 1
                    && let Some(entry) = entries.last_mut()
                {
                    entry.items.push(Item::default());
                }
            }
            Event::End(TagEnd::Item) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Strong) => in_strong = true,
            Event::End(TagEnd::Strong) => in_strong = false,
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(item) = entries.last_mut().and_then(|e| e.items.last_mut()) {
                    item.links.push(dest_url.into_string());
                }
            }
            Event::Text(text) | Event::Code(text) if in_title => {
                if let Some(entry) = entries.last_mut() {
                    entry.title.push_str(&text);
                }
            }
            Event::Text(text) => {
                if let Some(item) = entries.last_mut().and_then(|e| e.items.last_mut()) {
                    if in_strong && item.text.is_empty() {
                        item.label.push_str(&text);
                    } else {
                        item.text.push_str(&text);
                        item.raw.push_str(&text);
                    }
                }
            }
            Event::Code(code) => {
                if let Some(item) = entries.last_mut().and_then(|e| e.items.last_mut()) {
                    item.text.push_str(&code);
                    item.raw.push_str(&format!("`{code}`"));
                    item.code.push(code.trim().to_owned());
                }
            }
            Event::InlineHtml(html) => {
                if let Some(item) = entries.last_mut().and_then(|e| e.items.last_mut()) {
                    item.raw.push_str(&html);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(item) = entries.last_mut().and_then(|e| e.items.last_mut()) {
                    item.text.push(' ');
                    item.raw.push(' ');
                }
            }
            _ => {}
        }
    }
    entries.retain(|entry| entry.title != "(not an entry)");
    entries
}

impl Entry {
    fn item(&self, label: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.label.trim() == label)
    }

    /// The messages quoted under "You see" and the recordings cited for them.
    fn seen(&self) -> (Vec<&str>, Vec<&str>) {
        let Some(item) = self.item("You see:") else {
            return (Vec::new(), Vec::new());
        };
        item.code
            .iter()
            .map(String::as_str)
            .partition(|code| !code.ends_with(".txt"))
    }

    /// Each quoted message that none of the cited recordings contains, and each cited recording
    /// that is missing or quotes none of the messages.
    pub fn check_messages(&self, problems: &mut Vec<String>) {
        let Some(item) = self.item("You see:") else {
            return;
        };
        let (messages, recordings) = self.seen();
        if recordings.is_empty() {
            if !item.text.trim_start().starts_with("no message") {
                problems.push(format!(
                    "\"{}\": \"You see\" cites no recording (`listings/.../recorded/x.txt`); \
                     quote a recorded message, or start with \"no message\"",
                    self.title
                ));
            }
            return;
        }
        if messages.is_empty() {
            problems.push(format!(
                "\"{}\": \"You see\" cites a recording but quotes no message from it",
                self.title
            ));
        }
        let texts: Vec<(&str, String)> = recordings
            .iter()
            .map(|path| {
                let text = std::fs::read_to_string(root().join(path)).unwrap_or_else(|err| {
                    problems.push(format!(
                        "\"{}\": cannot read the recording {path}: {err}",
                        self.title
                    ));
                    String::new()
                });
                (*path, text)
            })
            .collect();
        for message in &messages {
            if !texts.iter().any(|(_, text)| text.contains(message)) {
                problems.push(format!(
                    "\"{}\": the message `{message}` is in none of {recordings:?}; the recording \
                     changed, so update the page (or the recording is the wrong one)",
                    self.title
                ));
            }
        }
        for (path, text) in &texts {
            if !text.is_empty() && !messages.iter().any(|message| text.contains(message)) {
                problems.push(format!(
                    "\"{}\": the recording {path} holds none of the messages {messages:?}",
                    self.title
                ));
            }
        }
    }

    /// The parts every entry needs, a link to a chapter, and tests that exist.
    pub fn check_parts(&self, problems: &mut Vec<String>) {
        for part in PARTS {
            match self.item(part) {
                Some(item) if !item.text.trim().is_empty() => {}
                _ => problems.push(format!(
                    "\"{}\": no `**{part}**` item, or an empty one",
                    self.title
                )),
            }
        }
        if let Some(read) = self.item("Read:")
            && !read.links.iter().any(|link| link.contains(".md"))
        {
            problems.push(format!("\"{}\": **Read:** links to no chapter", self.title));
        }
        let Some(proved) = self.item("Proved by:") else {
            return;
        };
        let mut found = Vec::new();
        let tests = crate::verified::references(&proved.raw, &mut found);
        problems.extend(
            found
                .into_iter()
                .map(|p| format!("\"{}\": {p}", self.title)),
        );
        if tests.is_empty() {
            problems.push(format!(
                "\"{}\": **Proved by:** names no test as \
                 <code title=\"path/file.rs::test_name\">test_name</code>",
                self.title
            ));
        }
        for test in tests {
            if let Err(problem) = test.check() {
                problems.push(format!("\"{}\": {problem}", self.title));
            }
        }
    }
}
