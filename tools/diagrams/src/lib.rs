//! Draws the book's diagrams from a small text format, one directive a line (`#` starts a comment):
//!
//! ```text
//! size WIDTH HEIGHT
//! box ID X Y W H STYLE | first line | second line
//! arrow FROM TO STYLE | label
//! text X Y STYLE | a line of text
//! check TOKEN | path/from/the/repository/root
//! sum 192*3+144*4+512=1664
//! ```
//!
//! In a line of text, `code` is drawn in a monospace font. Box styles name who a box belongs to:
//! `rust`, `c`, `jemalloc`, `glibc`, `plain`, `bad`. Arrow styles: `ok`, `bad`, `dim`. Text styles:
//! `plain`, `bold`, `bad`. `check` and `sum` draw nothing: the tests read them (every name in
//! backticks, and every number of three digits or more, must be checked against what it describes).
//!
//! Every piece of text is drawn at [`FONT_PX`]; a diagram is at most [`MAX_WIDTH`] wide, so its
//! text stays at 12 px or more on a 390 px phone screen.

use std::fmt::Write as _;

/// The size of all text.
pub const FONT_PX: f64 = 16.0;
/// The widest a diagram may be: at this width and [`FONT_PX`], text shrunk to a phone's column
/// (about 360 px at 390 px) stays at 12 px or more.
pub const MAX_WIDTH: f64 = 470.0;
/// Box line height.
const LINE_PX: f64 = 21.0;

/// A parsed diagram.
#[derive(Debug, Default)]
pub struct Diagram {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<Shape>,
    pub arrows: Vec<Arrow>,
    pub texts: Vec<Text>,
    /// `(token, path)` pairs of `check` lines.
    pub checks: Vec<(String, String)>,
    /// `sum` lines, as written.
    pub sums: Vec<String>,
}

#[derive(Debug)]
pub struct Shape {
    pub id: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub style: String,
    pub lines: Vec<String>,
}

#[derive(Debug)]
pub struct Arrow {
    pub from: String,
    pub to: String,
    pub style: String,
    pub label: String,
}

#[derive(Debug)]
pub struct Text {
    pub x: f64,
    pub y: f64,
    pub style: String,
    pub line: String,
}

fn number(word: Option<&str>, what: &str, line_no: usize) -> Result<f64, String> {
    let word = word.ok_or_else(|| format!("line {line_no}: {what} is missing"))?;
    word.parse()
        .map_err(|_| format!("line {line_no}: {what} `{word}` is not a number"))
}

/// Parses a diagram's source; an error names the line and what is wrong with it.
pub fn parse(source: &str) -> Result<Diagram, String> {
    let mut diagram = Diagram::default();
    for (index, raw) in source.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (head, rest) = match line.split_once('|') {
            Some((head, rest)) => (head.trim(), Some(rest)),
            None => (line, None),
        };
        let mut words = head.split_whitespace();
        let directive = words.next().unwrap_or_default();
        let parts: Vec<String> = rest
            .map(|rest| rest.split('|').map(|part| part.trim().to_owned()).collect())
            .unwrap_or_default();
        match directive {
            "size" => {
                diagram.width = number(words.next(), "the width", line_no)?;
                diagram.height = number(words.next(), "the height", line_no)?;
            }
            "box" => {
                let id = words
                    .next()
                    .ok_or_else(|| format!("line {line_no}: a box needs an id"))?;
                let shape = Shape {
                    id: id.to_owned(),
                    x: number(words.next(), "x", line_no)?,
                    y: number(words.next(), "y", line_no)?,
                    w: number(words.next(), "the width", line_no)?,
                    h: number(words.next(), "the height", line_no)?,
                    style: words.next().unwrap_or("plain").to_owned(),
                    lines: parts,
                };
                diagram.boxes.push(shape);
            }
            "arrow" => {
                let mut id = || {
                    words
                        .next()
                        .map(str::to_owned)
                        .ok_or_else(|| format!("line {line_no}: an arrow needs FROM and TO"))
                };
                let (from, to) = (id()?, id()?);
                diagram.arrows.push(Arrow {
                    from,
                    to,
                    style: words.next().unwrap_or("ok").to_owned(),
                    label: parts.join(" "),
                });
            }
            "text" => diagram.texts.push(Text {
                x: number(words.next(), "x", line_no)?,
                y: number(words.next(), "y", line_no)?,
                style: words.next().unwrap_or("plain").to_owned(),
                line: parts.join(" "),
            }),
            "check" => {
                let token = head
                    .strip_prefix("check")
                    .map(str::trim)
                    .filter(|token| !token.is_empty())
                    .ok_or_else(|| format!("line {line_no}: `check TOKEN | path`"))?;
                let path = parts
                    .first()
                    .filter(|path| !path.is_empty())
                    .ok_or_else(|| format!("line {line_no}: `check TOKEN | path` needs a path"))?;
                diagram.checks.push((token.to_owned(), path.clone()));
            }
            "sum" => diagram.sums.push(head["sum".len()..].trim().to_owned()),
            other => return Err(format!("line {line_no}: unknown directive `{other}`")),
        }
    }
    if diagram.width <= 0.0 || diagram.height <= 0.0 {
        return Err("no `size WIDTH HEIGHT` line".to_owned());
    }
    for arrow in &diagram.arrows {
        for end in [&arrow.from, &arrow.to] {
            if diagram.shape(end).is_none() {
                return Err(format!("an arrow names `{end}`, which is no box"));
            }
        }
    }
    Ok(diagram)
}

/// A run of text: monospace or not.
pub fn runs(line: &str) -> Vec<(bool, &str)> {
    line.split('`')
        .enumerate()
        .filter(|(_, run)| !run.is_empty())
        .map(|(index, run)| (index % 2 == 1, run))
        .collect()
}

/// About how wide a line is drawn, in pixels (monospace 0.6 em a character; the sans-serif
/// font about 0.56 em on average, wider for capitals).
pub fn text_width(line: &str) -> f64 {
    runs(line)
        .iter()
        .map(|(mono, run)| {
            run.chars()
                .map(|c| {
                    if *mono {
                        0.6
                    } else if c.is_uppercase() || c == 'm' || c == 'w' {
                        0.72
                    } else {
                        0.53
                    }
                })
                .sum::<f64>()
                * FONT_PX
        })
        .sum()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn colours(style: &str) -> (&'static str, &'static str) {
    match style {
        "rust" => ("#fdebd0", "#a04000"),
        "c" => ("#e8e8e8", "#404040"),
        "jemalloc" => ("#d5f5e3", "#1e8449"),
        "glibc" => ("#d6eaf8", "#1f618d"),
        "bad" => ("#fadbd8", "#b03a2e"),
        _ => ("#ffffff", "#404040"),
    }
}

fn tspans(line: &str) -> String {
    runs(line)
        .iter()
        .map(|(mono, run)| {
            if *mono {
                format!(
                    "<tspan font-family=\"monospace\" font-size=\"{FONT_PX}\">{}</tspan>",
                    escape(run)
                )
            } else {
                escape(run)
            }
        })
        .collect()
}

impl Diagram {
    pub fn shape(&self, id: &str) -> Option<&Shape> {
        self.boxes.iter().find(|shape| shape.id == id)
    }

    /// Every piece of text drawn, with the width it has (`None` when it is not in a box).
    pub fn drawn_text(&self) -> Vec<(&str, Option<f64>)> {
        let mut all: Vec<(&str, Option<f64>)> = Vec::new();
        for shape in &self.boxes {
            all.extend(
                shape
                    .lines
                    .iter()
                    .map(|line| (line.as_str(), Some(shape.w))),
            );
        }
        all.extend(self.arrows.iter().map(|arrow| (arrow.label.as_str(), None)));
        all.extend(self.texts.iter().map(|text| (text.line.as_str(), None)));
        all
    }

    /// The SVG.
    pub fn to_svg(&self, title: &str) -> String {
        let mut svg = String::new();
        let (w, h) = (self.width, self.height);
        let _ = writeln!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"{FONT_PX}\" \
             role=\"img\">"
        );
        let _ = writeln!(svg, "<title>{}</title>", escape(title));
        let _ = writeln!(
            svg,
            "<defs>\n\
             <marker id=\"head-ok\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" \
             markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#303030\"/></marker>\n\
             <marker id=\"head-bad\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" \
             markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#b03a2e\"/></marker>\n\
             <marker id=\"head-dim\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" \
             markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#808080\"/></marker>\n\
             </defs>"
        );
        let _ = writeln!(
            svg,
            "<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>"
        );
        for shape in &self.boxes {
            let (fill, stroke) = colours(&shape.style);
            let _ = writeln!(
                svg,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{fill}\" \
                 stroke=\"{stroke}\" stroke-width=\"1.5\"/>",
                shape.x, shape.y, shape.w, shape.h
            );
            let count = shape.lines.len() as f64;
            let first = shape.y + shape.h / 2.0 - (count - 1.0) * LINE_PX / 2.0 + FONT_PX * 0.35;
            for (index, line) in shape.lines.iter().enumerate() {
                let _ = writeln!(
                    svg,
                    "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#1a1a1a\">{}</text>",
                    shape.x + shape.w / 2.0,
                    first + index as f64 * LINE_PX,
                    tspans(line)
                );
            }
        }
        for arrow in &self.arrows {
            let (Some(from), Some(to)) = (self.shape(&arrow.from), self.shape(&arrow.to)) else {
                continue;
            };
            let (x1, y1) = from.edge_towards(to.centre());
            let (x2, y2) = to.edge_towards(from.centre());
            let (colour, dash, head) = match arrow.style.as_str() {
                "bad" => ("#b03a2e", " stroke-dasharray=\"6 4\"", "head-bad"),
                "dim" => ("#808080", " stroke-dasharray=\"3 3\"", "head-dim"),
                _ => ("#303030", "", "head-ok"),
            };
            let _ = writeln!(
                svg,
                "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{colour}\" \
                 stroke-width=\"2\"{dash} marker-end=\"url(#{head})\"/>"
            );
            if !arrow.label.is_empty() {
                let _ = writeln!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\">{}</text>",
                    (x1 + x2) / 2.0 + 8.0,
                    (y1 + y2) / 2.0 + FONT_PX * 0.35,
                    tspans(&arrow.label)
                );
            }
        }
        for text in &self.texts {
            let (weight, colour) = match text.style.as_str() {
                "bold" => (" font-weight=\"bold\"", "#1a1a1a"),
                "bad" => ("", "#b03a2e"),
                _ => ("", "#1a1a1a"),
            };
            let _ = writeln!(
                svg,
                "<text x=\"{}\" y=\"{}\"{weight} fill=\"{colour}\">{}</text>",
                text.x,
                text.y,
                tspans(&text.line)
            );
        }
        svg.push_str("</svg>\n");
        svg
    }
}

impl Shape {
    fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// Where the line from the centre towards `target` leaves the box.
    fn edge_towards(&self, target: (f64, f64)) -> (f64, f64) {
        let (cx, cy) = self.centre();
        let (dx, dy) = (target.0 - cx, target.1 - cy);
        if dx == 0.0 && dy == 0.0 {
            return (cx, cy);
        }
        let sx = if dx == 0.0 {
            f64::INFINITY
        } else {
            (self.w / 2.0) / dx.abs()
        };
        let sy = if dy == 0.0 {
            f64::INFINITY
        } else {
            (self.h / 2.0) / dy.abs()
        };
        let s = sx.min(sy);
        (cx + dx * s, cy + dy * s)
    }
}

/// The diagrams: source file stem (in `tools/diagrams/sources/`, drawn to `src/img/<stem>.svg`).
pub fn source_dir(root: &std::path::Path) -> std::path::PathBuf {
    root.join("tools/diagrams/sources")
}

/// The first `# title: ...` comment of a source, used as the SVG's `<title>`.
pub fn title(source: &str) -> String {
    source
        .lines()
        .find_map(|line| line.trim().strip_prefix("# title:"))
        .map_or_else(String::new, |title| title.trim().to_owned())
}
