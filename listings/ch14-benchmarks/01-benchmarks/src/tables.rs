//! The Markdown tables the chapter includes, each from the two runs' summaries or raw
//! results. Where the runs differ a cell holds both values, run 1 first.

use std::fmt::Write as _;

use crate::Allocator;
use crate::markdown::{after_label, human_ns, md_code, md_text, mebibytes};
use crate::results::{Results, RssRow};
use crate::summary::{Agreement, Comparison, Row};

fn comparison_cell(c: &Comparison) -> String {
    format!(
        "{:.2} ({:.2}-{:.2})",
        c.ratio, c.interval.low, c.interval.high
    )
}

/// Whether both runs land in the band, as the table says it.
fn in_band_cell(one: &Row, two: &Row) -> &'static str {
    match (one.in_band, two.in_band) {
        (Some(true), Some(true)) => "yes",
        (Some(false), Some(false)) => "**no**",
        (Some(true), Some(false)) => "run 1 only",
        (Some(false), Some(true)) => "run 2 only",
        _ => "-",
    }
}

/// The ratios of every workload in both runs, with intervals, what the runs agree on
/// and the bands: one table for jemalloc, one for mimalloc.
pub fn ratios_md(pairs: &[(&Row, &Row)], kept_rounds: usize) -> String {
    let mut out = String::from(
        "| Workload | System/jemalloc, run 1 (95% CI) | Run 2 (95% CI) | Both runs | Expected band | In band | Origin of the band |\n\
         | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for (one, two) in pairs {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            md_code(one.workload),
            comparison_cell(&one.jemalloc),
            comparison_cell(&two.jemalloc),
            md_text(&Agreement::of(&one.jemalloc, &two.jemalloc).describe("jemalloc")),
            one.band
                .map_or("-".to_owned(), |b| md_text(&b.range.describe())),
            in_band_cell(one, two),
            one.band.map_or("-".to_owned(), |b| b.origin.describe()),
        );
    }
    out.push_str(
        "\n| Workload | System/mimalloc, run 1 (95% CI) | Run 2 (95% CI) | Both runs |\n\
         | --- | --- | --- | --- |\n",
    );
    for (one, two) in pairs {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            md_code(one.workload),
            comparison_cell(&one.mimalloc),
            comparison_cell(&two.mimalloc),
            md_text(&Agreement::of(&one.mimalloc, &two.mimalloc).describe("mimalloc")),
        );
    }
    let _ = write!(
        out,
        "\nRatios are median time per operation on System divided by the same on the other allocator \
         (above 1: the other allocator is faster), over {kept_rounds} rounds after one warm-up round, \
         in each of two independent runs. \"No difference\" means the whole interval lies inside \
         0.98-1.02. \"Both runs\" gives the finding only when the two runs reach the same one.\n"
    );
    out
}

/// Run 1's and run 2's values in one cell, or one value when they read the same.
fn both(one: String, two: String) -> String {
    if one == two {
        one
    } else {
        format!("{one} / {two}")
    }
}

/// The medians per operation, run 1 / run 2.
pub fn medians_md(pairs: &[(&Row, &Row)]) -> String {
    let mut out = String::from(
        "| Workload | What | One operation | System | jemalloc | mimalloc |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for (one, two) in pairs {
        let cell =
            |a: Allocator| both(human_ns(one.medians[&a]), human_ns(two.medians[&a]));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            md_code(one.workload),
            md_text(one.what),
            md_text(one.op),
            cell(Allocator::System),
            cell(Allocator::Jemalloc),
            cell(Allocator::Mimalloc),
        );
    }
    out.push_str(
        "\nEach cell: run 1 / run 2 (one value when both runs read the same).\n",
    );
    out
}

/// The readings of one run: per line of the table, the label and each allocator's
/// reading.
fn rss_lines(results: &Results) -> Vec<(String, Vec<&RssRow>)> {
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
    lines
}

/// Resident memory after freeing, run 1 / run 2.
pub fn rss_md(runs: &[Results]) -> String {
    let mut out = String::from(
        "| Reading | System | jemalloc | mimalloc |\n| --- | --- | --- | --- |\n",
    );
    let per_run: Vec<Vec<(String, Vec<&RssRow>)>> =
        runs.iter().map(rss_lines).collect();
    for (i, (label, first)) in per_run[0].iter().enumerate() {
        let cells: Vec<String> = (0..first.len())
            .map(|a| {
                let values: Vec<String> = per_run
                    .iter()
                    .filter_map(|run| run.get(i).and_then(|(_, row)| row.get(a)))
                    .map(|r| mebibytes(r.bytes))
                    .collect();
                match values.as_slice() {
                    [one, two] => both(one.clone(), two.clone()),
                    _ => values.join(" / "),
                }
            })
            .collect();
        let _ = writeln!(out, "| {} | {} |", md_text(label), cells.join(" | "));
    }
    out.push_str("\nEach cell: run 1 / run 2.\n");
    out
}

/// Binary sizes (the same programs in both runs) and start-up times, run 1 / run 2.
pub fn sizes_md(runs: &[Results], pairs: &[(&Row, &Row)]) -> String {
    let startup = pairs.iter().find(|(r, _)| r.workload == "startup");
    let mut out = String::from(
        "| Minimal program | Stripped size | Start-up to exit (median), run 1 / run 2 |\n| --- | --- | --- |\n",
    );
    for (a, bytes) in runs.first().map_or(&[][..], |r| &r.sizes[..]) {
        let time = startup.map_or("-".to_owned(), |(one, two)| {
            format!(
                "{} / {}",
                human_ns(one.medians[a]),
                human_ns(two.medians[a])
            )
        });
        let _ = writeln!(
            out,
            "| {} | {} KiB | {time} |",
            md_code(&format!("min-{}", a.name())),
            bytes / 1024
        );
    }
    out
}

/// The environment records of the runs, as a list: one value where the runs agree, each
/// run's where they differ (the load averages, the seed).
pub fn environment_md(runs: &[Results]) -> String {
    let mut out = String::new();
    let Some(first) = runs.first() else {
        return out;
    };
    for (key, value) in &first.environment {
        let values: Vec<&str> = runs.iter().map(|r| r.env(key)).collect();
        // In code spans, so that values like `[madvise]` are not read as Markdown
        // links.
        if values.iter().all(|v| v == value) {
            let _ = writeln!(out, "- {}: {}", md_code(key), md_code(value));
        } else {
            let each: Vec<String> = values
                .iter()
                .enumerate()
                .map(|(i, v)| format!("run {} {}", i + 1, md_code(v)))
                .collect();
            let _ = writeln!(out, "- {}: {}", md_code(key), each.join(", "));
        }
    }
    out
}
