//! The results of a run: the raw files the runner writes, and everything derived from them (the
//! summary, the Markdown tables the chapter includes, the plots). Deriving is a pure function of
//! the raw files, so a test can check that the committed tables and plots match the committed data.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::Allocator;
use crate::bands::{self, Band};
use crate::environment::Record;
use crate::stats::{self, Finding, Interval};
use crate::workloads::WORKLOADS;

/// One timed sample: a fresh process of one allocator's worker, in one round.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub round: usize,
    pub workload: String,
    pub allocator: Allocator,
    pub ns_per_op: f64,
}

/// One resident-memory reading of the RSS workload.
#[derive(Debug, Clone, PartialEq)]
pub struct RssRow {
    pub allocator: Allocator,
    pub phase: String,
    pub after_ms: u64,
    pub bytes: u64,
}

/// Everything a run measured.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub environment: Record,
    pub samples: Vec<Sample>,
    pub rss: Vec<RssRow>,
    /// Stripped size in bytes of each allocator's minimal program.
    pub sizes: Vec<(Allocator, u64)>,
}

/// The raw files, under the results directory.
pub const RAW_FILES: [&str; 4] = ["environment.csv", "samples.csv", "rss.csv", "sizes.csv"];

/// The first round warms caches and the page cache; the analysis drops it.
pub const WARM_UP_ROUNDS: usize = 1;

pub(crate) fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('"', "\"\""))
}

/// Splits one CSV line whose fields may be double-quoted (`""` inside quotes is a quote).
fn split_csv(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

pub(crate) fn rows(dir: &Path, file: &str) -> Result<Vec<Vec<String>>, String> {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path)
        .map_err(|err| format!("cannot read {}: {err}; run the suite first", path.display()))?;
    Ok(text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(split_csv)
        .collect())
}

fn parse<T: std::str::FromStr>(value: &str, file: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{file}: cannot read {value:?}"))
}

fn allocator(name: &str, file: &str) -> Result<Allocator, String> {
    Allocator::from_name(name).ok_or_else(|| format!("{file}: no allocator {name:?}"))
}

impl Results {
    /// Writes the raw files into `dir`.
    pub fn write_raw(&self, dir: &Path) -> Result<(), String> {
        let mut environment = String::from("key,value\n");
        for (key, value) in &self.environment {
            let _ = writeln!(environment, "{key},{}", quote(value));
        }
        let mut samples = String::from("round,workload,allocator,ns_per_op\n");
        for s in &self.samples {
            let _ = writeln!(
                samples,
                "{},{},{},{:.3}",
                s.round,
                s.workload,
                s.allocator.name(),
                s.ns_per_op
            );
        }
        let mut rss = String::from("allocator,phase,after_ms,bytes\n");
        for r in &self.rss {
            let _ = writeln!(
                rss,
                "{},{},{},{}",
                r.allocator.name(),
                r.phase,
                r.after_ms,
                r.bytes
            );
        }
        let mut sizes = String::from("allocator,stripped_bytes\n");
        for (a, bytes) in &self.sizes {
            let _ = writeln!(sizes, "{},{bytes}", a.name());
        }
        for (file, text) in RAW_FILES.iter().zip([environment, samples, rss, sizes]) {
            write(&dir.join(file), &text)?;
        }
        Ok(())
    }

    /// Reads the raw files back from `dir`.
    pub fn read_raw(dir: &Path) -> Result<Results, String> {
        let environment = rows(dir, "environment.csv")?
            .into_iter()
            .map(|row| (row[0].clone(), row.get(1).cloned().unwrap_or_default()))
            .collect();
        let samples = rows(dir, "samples.csv")?
            .iter()
            .map(|row| {
                Ok(Sample {
                    round: parse(&row[0], "samples.csv")?,
                    workload: row[1].clone(),
                    allocator: allocator(&row[2], "samples.csv")?,
                    ns_per_op: parse(&row[3], "samples.csv")?,
                })
            })
            .collect::<Result<_, String>>()?;
        let rss = rows(dir, "rss.csv")?
            .iter()
            .map(|row| {
                Ok(RssRow {
                    allocator: allocator(&row[0], "rss.csv")?,
                    phase: row[1].clone(),
                    after_ms: parse(&row[2], "rss.csv")?,
                    bytes: parse(&row[3], "rss.csv")?,
                })
            })
            .collect::<Result<_, String>>()?;
        let sizes = rows(dir, "sizes.csv")?
            .iter()
            .map(|row| {
                Ok((
                    allocator(&row[0], "sizes.csv")?,
                    parse(&row[1], "sizes.csv")?,
                ))
            })
            .collect::<Result<_, String>>()?;
        Ok(Results {
            environment,
            samples,
            rss,
            sizes,
        })
    }

    /// The value of an environment key, or "".
    pub fn env(&self, key: &str) -> &str {
        self.environment
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The samples of `workload` on `allocator` in the rounds kept, in round order.
    pub fn kept(&self, workload: &str, allocator: Allocator) -> Vec<f64> {
        let mut samples: Vec<&Sample> = self
            .samples
            .iter()
            .filter(|s| {
                s.workload == workload && s.allocator == allocator && s.round >= WARM_UP_ROUNDS
            })
            .collect();
        samples.sort_by_key(|s| s.round);
        samples.iter().map(|s| s.ns_per_op).collect()
    }
}

/// System compared with one other allocator on one workload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    pub ratio: f64,
    pub interval: Interval,
    pub finding: Finding,
}

/// One workload's line of the summary.
#[derive(Debug, Clone)]
pub struct Row {
    pub workload: &'static str,
    pub what: &'static str,
    pub op: &'static str,
    /// Median ns per operation, by allocator.
    pub medians: BTreeMap<Allocator, f64>,
    pub jemalloc: Comparison,
    pub mimalloc: Comparison,
    /// The expected band and its origin; `None` when the book expects nothing in particular.
    pub band: Option<Band>,
    pub in_band: Option<bool>,
}

fn compare(
    results: &Results,
    workload: &str,
    other: Allocator,
    seed: u64,
) -> Result<Comparison, String> {
    let system = results.kept(workload, Allocator::System);
    let theirs = results.kept(workload, other);
    if system.is_empty() || system.len() != theirs.len() {
        return Err(format!(
            "{workload}: {} System samples and {} {} samples in the kept rounds; they must pair up",
            system.len(),
            theirs.len(),
            other.name()
        ));
    }
    let interval = stats::bootstrap_ratio(&system, &theirs, seed);
    Ok(Comparison {
        ratio: stats::ratio_of_medians(&system, &theirs),
        interval,
        finding: stats::finding(interval),
    })
}

/// The summary of every workload, from the raw samples. The bootstrap seed comes from the
/// environment record (`seed`), so the same data always gives the same intervals.
pub fn summarise(results: &Results) -> Result<Vec<Row>, String> {
    let seed: u64 = results.env("seed").parse().unwrap_or(0);
    WORKLOADS
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let medians = Allocator::ALL
                .into_iter()
                .map(|a| (a, stats::median(&results.kept(w.name, a))))
                .collect();
            let jemalloc = compare(
                results,
                w.name,
                Allocator::Jemalloc,
                seed.wrapping_add(2 * i as u64),
            )?;
            let mimalloc = compare(
                results,
                w.name,
                Allocator::Mimalloc,
                seed.wrapping_add(2 * i as u64 + 1),
            )?;
            let band = bands::expected(w.name);
            Ok(Row {
                workload: w.name,
                what: w.what,
                op: w.op,
                medians,
                in_band: band.map(|b| b.contains(jemalloc.ratio)),
                jemalloc,
                mimalloc,
                band,
            })
        })
        .collect()
}

/// A duration in nanoseconds, in the unit that reads best.
pub fn human_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

/// How long after the free a reading was taken, as the tables and plots say it.
pub fn after_label(after_ms: u64) -> String {
    match after_ms {
        0..50 => "at once".to_owned(),
        50..950 => format!("{after_ms} ms later"),
        _ => format!("{:.0} s later", after_ms as f64 / 1000.0),
    }
}

fn mebibytes(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
}

/// `text` as Markdown that renders exactly as `text`, also inside a table cell: HTML's special
/// characters become entities (so `Vec<u8>` is not read as a tag), and Markdown's punctuation and
/// the cell separator `|` are escaped with a backslash.
pub fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// `text` as a Markdown code span that a table cell can hold: a run of backticks longer than any
/// in `text` delimits it, and `|` is escaped (a table splits cells on it even inside code).
pub fn md_code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}

fn comparison_cell(c: &Comparison) -> String {
    format!(
        "{:.2} ({:.2}-{:.2})",
        c.ratio, c.interval.low, c.interval.high
    )
}

/// Files derived from the raw results: name and content.
pub struct Rendered {
    /// Under the results directory.
    pub results: Vec<(&'static str, String)>,
    /// Under the book's image directory.
    pub images: Vec<(&'static str, String)>,
}

/// Everything derived from `results`.
pub fn render(results: &Results) -> Result<Rendered, String> {
    let rows = summarise(results)?;
    let kept_rounds = results
        .samples
        .iter()
        .map(|s| s.round)
        .max()
        .map_or(0, |last| last + 1 - WARM_UP_ROUNDS);
    Ok(Rendered {
        results: vec![
            ("summary.csv", summary_csv(&rows)),
            ("ratios.md", ratios_md(&rows, kept_rounds)),
            ("medians.md", medians_md(&rows)),
            ("rss.md", rss_md(results)),
            ("sizes.md", sizes_md(results, &rows)),
            ("environment.md", environment_md(results)),
        ],
        images: vec![
            ("ch14-ratios.svg", crate::plots::ratios_svg(&rows)?),
            ("ch14-rss.svg", crate::plots::rss_svg(&results.rss)?),
        ],
    })
}

fn summary_csv(rows: &[Row]) -> String {
    let mut out = String::from(
        "workload,op,median_ns_system,median_ns_jemalloc,median_ns_mimalloc,\
         ratio_jemalloc,ci_low_jemalloc,ci_high_jemalloc,finding_jemalloc,band,band_origin,in_band,\
         ratio_mimalloc,ci_low_mimalloc,ci_high_mimalloc,finding_mimalloc\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{},{},{:.3},{:.3},{:.3},{:.4},{:.4},{:.4},{},{},{},{},{:.4},{:.4},{:.4},{}",
            r.workload,
            r.op,
            r.medians[&Allocator::System],
            r.medians[&Allocator::Jemalloc],
            r.medians[&Allocator::Mimalloc],
            r.jemalloc.ratio,
            r.jemalloc.interval.low,
            r.jemalloc.interval.high,
            r.jemalloc.finding.describe("jemalloc"),
            r.band.map_or("none".to_owned(), |b| b.range.describe()),
            r.band.map_or("none", |b| b.origin.kind()),
            r.in_band
                .map_or("n/a", |inside| if inside { "yes" } else { "no" }),
            r.mimalloc.ratio,
            r.mimalloc.interval.low,
            r.mimalloc.interval.high,
            r.mimalloc.finding.describe("mimalloc"),
        );
    }
    out
}

fn ratios_md(rows: &[Row], kept_rounds: usize) -> String {
    let mut out = String::from(
        "| Workload | System/jemalloc (95% CI) | Finding | Expected band | In band | Origin of the band | System/mimalloc (95% CI) |\n\
         | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {}: {} |",
            md_code(r.workload),
            comparison_cell(&r.jemalloc),
            md_text(&r.jemalloc.finding.describe("jemalloc")),
            r.band
                .map_or("-".to_owned(), |b| md_text(&b.range.describe())),
            r.in_band
                .map_or("-", |inside| if inside { "yes" } else { "**no**" }),
            r.band.map_or("-".to_owned(), |b| b.origin.describe()),
            comparison_cell(&r.mimalloc),
            md_text(&r.mimalloc.finding.describe("mimalloc")),
        );
    }
    let _ = write!(
        out,
        "\nRatios are median time per operation on System divided by the same on the other allocator \
         (above 1: the other allocator is faster), over {kept_rounds} rounds after one warm-up round. \
         \"No difference\" means the whole interval lies inside 0.98-1.02.\n"
    );
    out
}

fn medians_md(rows: &[Row]) -> String {
    let mut out = String::from(
        "| Workload | What | One operation | System | jemalloc | mimalloc |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            md_code(r.workload),
            md_text(r.what),
            md_text(r.op),
            human_ns(r.medians[&Allocator::System]),
            human_ns(r.medians[&Allocator::Jemalloc]),
            human_ns(r.medians[&Allocator::Mimalloc]),
        );
    }
    out
}

fn rss_md(results: &Results) -> String {
    let mut out =
        String::from("| Reading | System | jemalloc | mimalloc |\n| --- | --- | --- | --- |\n");
    let reading = |phase: &str, index: usize| -> Vec<&RssRow> {
        Allocator::ALL
            .iter()
            .filter_map(|a| {
                results
                    .rss
                    .iter()
                    .filter(|r| r.allocator == *a && r.phase == phase)
                    .nth(index)
            })
            .collect()
    };
    let freed = results
        .rss
        .iter()
        .filter(|r| r.allocator == Allocator::System && r.phase == "freed")
        .count();
    let mut lines = vec![("peak".to_owned(), reading("peak", 0))];
    for i in 0..freed {
        let row = reading("freed", i);
        let at = row.first().map_or(0, |r| r.after_ms);
        lines.push((format!("90% freed, {}", after_label(at)), row));
    }
    lines.push((
        "after malloc_trim / purge / mi_collect".to_owned(),
        reading("released", 0),
    ));
    for (label, row) in lines {
        let cells: Vec<String> = row.iter().map(|r| mebibytes(r.bytes)).collect();
        let _ = writeln!(out, "| {} | {} |", md_text(&label), cells.join(" | "));
    }
    out
}

fn sizes_md(results: &Results, rows: &[Row]) -> String {
    let startup = rows.iter().find(|r| r.workload == "startup");
    let mut out = String::from(
        "| Minimal program | Stripped size | Start-up to exit (median) |\n| --- | --- | --- |\n",
    );
    for (a, bytes) in &results.sizes {
        let time = startup.map_or("-".to_owned(), |r| human_ns(r.medians[a]));
        let _ = writeln!(
            out,
            "| {} | {} KiB | {time} |",
            md_code(&format!("min-{}", a.name())),
            bytes / 1024
        );
    }
    out
}

pub(crate) fn environment_md(results: &Results) -> String {
    let mut out = String::new();
    for (key, value) in &results.environment {
        // In code spans, so that values like `[madvise]` are not read as Markdown links.
        let _ = writeln!(out, "- {}: {}", md_code(key), md_code(value));
    }
    out
}

pub(crate) fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|err| format!("cannot write {}: {err}", path.display()))
}

/// Writes what [`render`] derived: tables into `results_dir`, plots into `img_dir`. Returns the
/// paths written.
pub fn write_rendered(
    rendered: &Rendered,
    results_dir: &Path,
    img_dir: &Path,
) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (dir, files) in [
        (results_dir, &rendered.results),
        (img_dir, &rendered.images),
    ] {
        for (name, text) in files {
            let path = dir.join(name);
            write(&path, text)?;
            written.push(path);
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_may_be_quoted() {
        assert_eq!(
            split_csv(r#"cpu,"Intel, 2 cores ""x""""#),
            ["cpu", r#"Intel, 2 cores "x""#]
        );
        assert_eq!(
            split_csv("1,pairs,system,12.5"),
            ["1", "pairs", "system", "12.5"]
        );
    }

    #[test]
    fn durations_read_in_their_unit() {
        assert_eq!(human_ns(12.34), "12.3 ns");
        assert_eq!(human_ns(4_560.0), "4.56 µs");
        assert_eq!(human_ns(7_890_000.0), "7.89 ms");
    }

    #[test]
    fn table_cells_escape_what_markdown_or_html_would_read() {
        assert_eq!(md_text("Vec<u8> grown"), "Vec&lt;u8&gt; grown");
        assert_eq!(md_text("a | b & c"), "a \\| b &amp; c");
        assert_eq!(
            md_text("Vec::with_capacity(*n*) [x]"),
            "Vec::with\\_capacity(\\*n\\*) \\[x\\]"
        );
        assert_eq!(md_code("vec-push-4KiB"), "`vec-push-4KiB`");
        assert_eq!(md_code("a`b|c"), "``a`b\\|c``");
        assert_eq!(md_code("`x"), "`` `x ``");
    }

    #[test]
    fn no_generated_table_holds_a_raw_angle_bracket() {
        let results = Results::read_raw(&Path::new(env!("CARGO_MANIFEST_DIR")).join("results"))
            .unwrap_or_else(|err| panic!("{err}"));
        let rendered = render(&results).unwrap_or_else(|err| panic!("{err}"));
        for (name, text) in rendered.results.iter().filter(|(n, _)| n.ends_with(".md")) {
            for line in text.lines() {
                // Outside code spans, `<` would open an HTML tag in the rendered book.
                let outside_code: String = line.split('`').step_by(2).collect();
                assert!(
                    !outside_code.contains('<') && !outside_code.contains('>'),
                    "{name}: expected no raw < or > outside code spans, saw the line {line:?}"
                );
            }
        }
        let medians = &rendered
            .results
            .iter()
            .find(|(n, _)| *n == "medians.md")
            .expect("medians.md is rendered")
            .1;
        assert!(
            medians.contains("Vec&lt;u8&gt; grown by push to 4 KiB"),
            "expected the escaped Vec<u8> in medians.md, saw:\n{medians}"
        );
    }
}
