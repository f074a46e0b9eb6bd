//! `{{#include}}` and `{{#rustdoc_include}}` directives, resolved and checked the way mdbook's
//! links preprocessor reads them.

use std::path::PathBuf;
use std::sync::LazyLock;

use regex::Regex;

use crate::book::{Page, root, src};

/// What part of the target file a directive includes.
pub enum Selection {
    Whole,
    Anchor(String),
    /// `path:10:20`, `path:10:`, `path::20`, `path:10`: line numbers, which this book never uses.
    Lines(String),
}

pub struct Include {
    page: PathBuf,
    line: usize,
    /// The target, resolved against the including page's directory.
    pub target: PathBuf,
    pub selection: Selection,
}

/// Every include directive on a page, in order. An escaped directive (`\{{#include ...}}`) is text.
pub fn of(page: &Page) -> Vec<Include> {
    static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\\?)\{\{#(?:include|rustdoc_include)\s+([^}\s]+)\s*\}\}")
            .expect("valid regex")
    });
    static LINES: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d*(:\d*)?$").expect("valid regex"));
    let dir = src().join(page.path.parent().unwrap_or(std::path::Path::new("")));
    DIRECTIVE
        .captures_iter(&page.text)
        .filter(|caps| caps[1].is_empty())
        .map(|caps| {
            let start = caps.get(0).expect("whole match").start();
            let spec = &caps[2];
            let (path, selection) = match spec.split_once(':') {
                None => (spec, Selection::Whole),
                Some((path, rest)) if LINES.is_match(rest) => {
                    (path, Selection::Lines(rest.to_owned()))
                }
                Some((path, anchor)) => (path, Selection::Anchor(anchor.to_owned())),
            };
            Include {
                page: page.path.clone(),
                line: page.text[..start].lines().count().max(1),
                target: dir.join(path),
                selection,
            }
        })
        .collect()
}

impl Include {
    /// `page.md:line`, for messages.
    pub fn location(&self) -> String {
        format!("src/{}:{}", self.page.display(), self.line)
    }

    /// The listing crate the target lies in (`<chapter>/<listing>` for
    /// `listings/<chapter>/<listing>/...`), if any.
    pub fn listing(&self) -> Option<String> {
        let target = std::path::absolute(&self.target).ok()?;
        let normalised: PathBuf = target.components().fold(PathBuf::new(), |mut path, part| {
            match part {
                std::path::Component::ParentDir => {
                    path.pop();
                }
                std::path::Component::CurDir => {}
                other => path.push(other),
            }
            path
        });
        let relative = normalised.strip_prefix(root().join("listings")).ok()?;
        let mut parts = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned());
        Some(format!("{}/{}", parts.next()?, parts.next()?))
    }

    /// The target exists, and what the directive selects holds at least one non-blank line.
    pub fn check(&self) -> Result<(), String> {
        let text = std::fs::read_to_string(&self.target).map_err(|err| {
            format!(
                "{} does not exist or cannot be read: {err}",
                self.target.display()
            )
        })?;
        let selected = match &self.selection {
            Selection::Whole | Selection::Lines(_) => text,
            Selection::Anchor(name) => anchored(&text, name).ok_or_else(|| {
                format!(
                    "{} has no `ANCHOR: {name}` ... `ANCHOR_END: {name}` pair",
                    self.target.display()
                )
            })?,
        };
        if selected.trim().is_empty() {
            return Err(format!(
                "{} includes nothing: the selection is empty",
                self.target.display()
            ));
        }
        Ok(())
    }
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without other anchor markers
/// (as mdbook shows them).
fn anchored(text: &str, name: &str) -> Option<String> {
    static MARKER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"ANCHOR(_END)?:\s*([\w-]+)").expect("valid regex"));
    let mut inside = false;
    let mut ended = false;
    let mut selected = String::new();
    for line in text.lines() {
        match MARKER.captures(line) {
            Some(caps) if &caps[2] == name => {
                if caps.get(1).is_none() {
                    inside = true;
                } else if inside {
                    ended = true;
                    break;
                }
            }
            Some(_) => {}
            None if inside => {
                selected.push_str(line);
                selected.push('\n');
            }
            None => {}
        }
    }
    ended.then_some(selected)
}
