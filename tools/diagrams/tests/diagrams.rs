//! The book's diagrams: each committed SVG is drawn from its text source, each name or size it
//! shows is checked against the file it describes, its text is legible on a phone, and a chapter
//! shows it with alt text. `BLESS=1` redraws the SVGs.

use std::path::{Path, PathBuf};

use book_diagrams::{Diagram, FONT_PX, MAX_WIDTH, parse, runs, source_dir, text_width, title};

fn root() -> &'static Path {
    book_harness::repo::root()
}

/// `(stem, source text, parsed diagram)` of every source.
fn diagrams() -> Vec<(String, String, Diagram)> {
    let dir = source_dir(root());
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "diag"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let source = std::fs::read_to_string(&path)
                .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
            let diagram = parse(&source).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            let stem = path
                .file_stem()
                .expect("a .diag file has a stem")
                .to_string_lossy()
                .into_owned();
            (stem, source, diagram)
        })
        .collect()
}

#[test]
fn there_are_at_least_six_diagrams() {
    let names: Vec<String> = diagrams().into_iter().map(|(stem, ..)| stem).collect();
    assert!(
        names.len() >= 6,
        "expected at least six diagram sources in tools/diagrams/sources; saw {names:?}"
    );
}

#[test]
fn every_committed_svg_is_drawn_from_its_source() {
    let bless = std::env::var_os("BLESS").is_some_and(|value| value == "1");
    let mut stale = Vec::new();
    for (stem, source, diagram) in diagrams() {
        let svg = diagram.to_svg(&title(&source));
        let path = root().join("src/img").join(format!("{stem}.svg"));
        if bless {
            std::fs::write(&path, &svg)
                .unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != svg {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "these SVGs differ from what their source in tools/diagrams/sources draws (or are \
         missing); redraw them with `BLESS=1 cargo test -p book-diagrams --locked`: {stale:?}"
    );
}

/// The names in backticks and the numbers of three digits or more a diagram draws.
fn names_and_sizes(diagram: &Diagram) -> Vec<String> {
    let mut found = Vec::new();
    for (line, _) in diagram.drawn_text() {
        for (mono, run) in runs(line) {
            if mono {
                found.push(run.trim_end_matches("()").to_owned());
            } else {
                found.extend(
                    run.split(|c: char| !c.is_ascii_digit())
                        .filter(|digits| digits.len() >= 3)
                        .map(str::to_owned),
                );
            }
        }
    }
    found
}

#[test]
fn every_name_and_size_a_diagram_shows_is_checked_against_what_it_describes() {
    let mut problems = Vec::new();
    for (stem, _, diagram) in diagrams() {
        let drawn: String = diagram
            .drawn_text()
            .iter()
            .map(|(line, _)| line.replace('`', ""))
            .collect::<Vec<_>>()
            .join(" ");
        let mut sums_cover = Vec::new();
        for sum in &diagram.sums {
            let Some((terms, total)) = sum.split_once('=') else {
                problems.push(format!("{stem}: `sum {sum}` has no `=`"));
                continue;
            };
            let value: Option<i64> = terms
                .split('+')
                .map(|term| {
                    term.split('*')
                        .map(|factor| factor.trim().parse::<i64>().ok())
                        .product::<Option<i64>>()
                })
                .sum();
            if value.map(|v| v.to_string()) != Some(total.trim().to_owned()) {
                problems.push(format!(
                    "{stem}: `sum {sum}` is wrong: the terms make {value:?}"
                ));
            }
            sums_cover.push(total.trim().to_owned());
        }
        for name in names_and_sizes(&diagram) {
            let checked = diagram.checks.iter().any(|(token, _)| *token == name)
                || sums_cover.contains(&name);
            if !checked {
                problems.push(format!(
                    "{stem}: `{name}` is drawn but no `check {name} | <file>` line ties it to \
                     the artifact or source it describes"
                ));
            }
        }
        for (token, path) in &diagram.checks {
            let text = std::fs::read_to_string(root().join(path)).unwrap_or_default();
            if !text.contains(token.as_str()) {
                problems.push(format!("{stem}: `{token}` is not in {path}"));
            }
            if !drawn.contains(token.as_str()) {
                problems.push(format!(
                    "{stem}: `check {token}` checks a name the diagram no longer draws"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn diagram_text_is_at_least_12_px_on_a_phone_and_fits_its_box() {
    // mdbook's content column at a 390 px wide window.
    const PHONE_COLUMN: f64 = 360.0;
    let mut problems = Vec::new();
    for (stem, _, diagram) in diagrams() {
        let shrink = (PHONE_COLUMN / diagram.width).min(1.0);
        if diagram.width > MAX_WIDTH || FONT_PX * shrink < 12.0 {
            problems.push(format!(
                "{stem}: {} px wide, so its {FONT_PX} px text is {:.1} px on a phone; keep it \
                 under {MAX_WIDTH} px",
                diagram.width,
                FONT_PX * shrink
            ));
        }
        for (line, width) in diagram.drawn_text() {
            if let Some(width) = width
                && text_width(line) > width - 12.0
            {
                problems.push(format!(
                    "{stem}: \"{line}\" is about {:.0} px wide, in a box {width} px wide",
                    text_width(line)
                ));
            }
        }
        for text in &diagram.texts {
            if text.x + text_width(&text.line) > diagram.width - 4.0 {
                problems.push(format!(
                    "{stem}: \"{}\" runs past the right edge ({} px)",
                    text.line, diagram.width
                ));
            }
        }
        for shape in &diagram.boxes {
            if shape.x + shape.w > diagram.width || shape.y + shape.h > diagram.height {
                problems.push(format!("{stem}: box `{}` runs past the canvas", shape.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_diagram_is_shown_in_a_chapter_with_alt_text_that_says_what_it_shows() {
    let mut pages = String::new();
    for entry in std::fs::read_dir(root().join("src")).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|ext| ext == "md") {
            pages.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
        }
    }
    let mut problems = Vec::new();
    for (stem, ..) in diagrams() {
        let target = format!("](img/{stem}.svg)");
        let Some(at) = pages.find(&target) else {
            problems.push(format!(
                "no chapter shows img/{stem}.svg as `![alt text]{target}`"
            ));
            continue;
        };
        let alt = pages[..at]
            .rsplit_once("![")
            .map_or("", |(_, alt)| alt)
            .to_owned();
        if alt.split_whitespace().count() < 8 {
            problems.push(format!(
                "img/{stem}.svg has the alt text \"{alt}\"; say what the diagram shows, in a \
                 sentence of eight words or more"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
