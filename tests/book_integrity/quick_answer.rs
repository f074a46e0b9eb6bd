//! The quick-answer page after the introduction: a table of situations, one "What we verified"
//! item per row (starting with the row's first cell in bold), and three lines of benchmark verdict
//! whose numbers come from chapter 14's committed results, both runs of each.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::book::{Page, root};
use crate::verified::{self, NamedTest};

/// The page, relative to `src/`.
pub const PAGE: &str = "ch01-01-quick-answer.md";

/// The heading of the benchmark verdict.
pub const VERDICT: &str = "## Is jemalloc faster?";

/// The committed results the verdict quotes.
pub const SUMMARY_CSV: &str = "listings/ch14-benchmarks/01-benchmarks/results/summary.csv";

/// The first cell of each body row of the page's first table (the situations), in order.
pub fn situations(page: &Page) -> Vec<String> {
    page.text
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2) // the header and the `| --- |` line
        .filter_map(|line| line.split('|').nth(1).map(|cell| cell.trim().to_owned()))
        .collect()
}

/// The tests named by the "What we verified" item of each situation, keyed by situation. An item
/// starts with its row's first cell in bold and a colon, `**<first cell>**: <claim>`, and names its
/// tests in the book's one form (see `verified`).
pub fn tests_per_row(page: &Page, problems: &mut Vec<String>) -> BTreeMap<String, Vec<NamedTest>> {
    static ROW: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\*\*(.+?)\*\*:").expect("valid regex"));
    let mut rows = BTreeMap::new();
    let section = match verified::section(page) {
        Ok(section) => section,
        Err(problem) => {
            problems.push(problem);
            return rows;
        }
    };
    for item in verified::list_items(&section.0) {
        let Some(row) = ROW.captures(&item) else {
            continue;
        };
        let tests = verified::references(&item, problems);
        if rows.insert(row[1].to_owned(), tests).is_some() {
            problems.push(format!("two items start with **{}**:", &row[1]));
        }
    }
    rows
}

/// `(workload, [run 1, run 2] as written)` for each "`workload` 1.23 and 1.25" in the verdict
/// section, and how many decimal numbers the section holds in all.
pub fn quoted_ratios(page: &Page) -> (Vec<(String, Vec<String>)>, usize) {
    static QUOTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"`([\w-]+)`\s+(\d+\.\d+)\s+and\s+(\d+\.\d+)").expect("valid regex")
    });
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d+\.\d+").expect("valid regex"));
    let section: String = page
        .text
        .lines()
        .skip_while(|line| line.trim() != VERDICT)
        .skip(1)
        .take_while(|line| !line.starts_with("## "))
        .collect::<Vec<_>>()
        .join(" ");
    let quoted = QUOTED
        .captures_iter(&section)
        .map(|caps| {
            (
                caps[1].to_owned(),
                vec![caps[2].to_owned(), caps[3].to_owned()],
            )
        })
        .collect();
    (quoted, NUMBER.find_iter(&section).count())
}

/// `ratio_jemalloc` of each workload in the committed summary, one per run in run order, rounded
/// to two decimals as the page writes it.
pub fn committed_ratios() -> BTreeMap<String, Vec<String>> {
    let path = root().join(SUMMARY_CSV);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|column| *column == name)
            .unwrap_or_else(|| panic!("{SUMMARY_CSV} has no `{name}` column: {header:?}"))
    };
    let (run, workload, ratio) = (column("run"), column("workload"), column("ratio_jemalloc"));
    let mut rows: Vec<(u32, String, String)> = lines
        .map(|line| line.split(',').collect::<Vec<_>>())
        .map(|cells| {
            let value: f64 = cells[ratio].parse().unwrap_or_else(|err| {
                panic!("{SUMMARY_CSV}: `{}` is not a number: {err}", cells[ratio])
            });
            let number: u32 = cells[run].parse().unwrap_or_else(|err| {
                panic!("{SUMMARY_CSV}: run `{}` is not a number: {err}", cells[run])
            });
            (number, cells[workload].to_owned(), format!("{value:.2}"))
        })
        .collect();
    rows.sort_by_key(|(number, _, _)| *number);
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (_, workload, value) in rows {
        out.entry(workload).or_default().push(value);
    }
    out
}
