//! Everything derived from the raw results of a run (the summary, the Markdown tables
//! the chapter includes, the plots), and writing it. Deriving is a pure function of the
//! raw files, so a test can check that the committed tables and plots match the
//! committed data.

use std::path::{Path, PathBuf};

use crate::csv::write;
use crate::plots::{self, Layout};
use crate::results::{Results, WARM_UP_ROUNDS};
use crate::summary::{pairs, summarise_runs, summary_csv};
use crate::tables::{environment_md, medians_md, ratios_md, rss_md, sizes_md};

/// Files derived from the raw results: name and content.
pub struct Rendered {
    /// Under the results directory.
    pub results: Vec<(&'static str, String)>,
    /// Under the book's image directory.
    pub images: Vec<(&'static str, String)>,
}

/// Everything derived from the runs' raw results (run 1 first).
pub fn render(runs: &[Results]) -> Result<Rendered, String> {
    let rows = summarise_runs(runs)?;
    let pairs = pairs(&rows)?;
    let kept_rounds = runs[0]
        .samples
        .iter()
        .map(|s| s.round)
        .max()
        .map_or(0, |last| last + 1 - WARM_UP_ROUNDS);
    Ok(Rendered {
        results: vec![
            ("summary.csv", summary_csv(&rows)),
            ("ratios.md", ratios_md(&pairs, kept_rounds)),
            ("medians.md", medians_md(&pairs)),
            ("rss.md", rss_md(runs)),
            ("sizes.md", sizes_md(runs, &pairs)),
            ("environment.md", environment_md(runs)),
        ],
        images: vec![
            (
                "ch14-ratios.svg",
                plots::ratios_svg(&pairs, Layout::Column)?,
            ),
            (
                "ch14-ratios-narrow.svg",
                plots::ratios_svg(&pairs, Layout::Phone)?,
            ),
            ("ch14-rss.svg", plots::rss_svg(&runs[0].rss)?),
        ],
    })
}

/// Writes what [`render`] derived: tables into `results_dir`, plots into `img_dir`.
/// Returns the paths written.
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
    use crate::results::read_runs;

    #[test]
    fn no_generated_table_holds_a_raw_angle_bracket() {
        let runs = read_runs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("results"))
            .unwrap_or_else(|err| panic!("{err}"));
        let rendered = render(&runs).unwrap_or_else(|err| panic!("{err}"));
        for (name, text) in rendered.results.iter().filter(|(n, _)| n.ends_with(".md"))
        {
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
