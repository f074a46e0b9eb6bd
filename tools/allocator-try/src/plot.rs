//! The SVG that `--svg FILE` writes: each run's wall time as a dot, one row per allocator, with
//! the median as a bar. A small writer of its own: chapter 14's plots use the plotters crate,
//! which the root workspace does not depend on.

use crate::{Allocator, Sample, stats};

/// Width of the picture, in pixels; every text is 14 px.
pub const WIDTH: f64 = 750.0;
const LEFT: f64 = 110.0;
const RIGHT: f64 = 30.0;
const ROW: f64 = 60.0;
const TOP: f64 = 50.0;

/// The samples as an SVG document.
pub fn svg(samples: &[Sample]) -> String {
    let rows: Vec<Allocator> = Allocator::ALL
        .into_iter()
        .filter(|a| samples.iter().any(|s| s.allocator == *a))
        .collect();
    let ms: Vec<f64> = samples.iter().map(|s| s.wall * 1000.0).collect();
    let (mut low, mut high) = ms
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
    if low >= high || low.is_nan() || high.is_nan() {
        (low, high) = (low.min(0.0), high.max(1.0));
    }
    let pad = (high - low) * 0.05;
    let (low, high) = (low - pad, high + pad);
    let x = |v: f64| LEFT + (v - low) / (high - low) * (WIDTH - LEFT - RIGHT);
    let axis_y = TOP + ROW * rows.len() as f64;
    let height = axis_y + 50.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" \
         viewBox=\"0 0 {WIDTH} {height}\" font-family=\"sans-serif\" font-size=\"14\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{LEFT}\" y=\"24\">Wall time of each run, in ms (bar: median)</text>\n"
    );
    for (i, allocator) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64 + ROW / 2.0;
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
            LEFT - 12.0,
            y + 5.0,
            allocator.name()
        ));
        let runs: Vec<f64> = samples
            .iter()
            .filter(|s| s.allocator == *allocator)
            .map(|s| s.wall * 1000.0)
            .collect();
        for v in &runs {
            out.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{y}\" r=\"4\" fill=\"#1f5fa8\" fill-opacity=\"0.45\"/>\n",
                x(*v)
            ));
        }
        let median = x(stats::median(&runs));
        out.push_str(&format!(
            "<line x1=\"{median:.1}\" x2=\"{median:.1}\" y1=\"{}\" y2=\"{}\" stroke=\"black\" \
             stroke-width=\"3\"/>\n",
            y - 16.0,
            y + 16.0
        ));
    }
    out.push_str(&format!(
        "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{axis_y}\" y2=\"{axis_y}\" stroke=\"black\"/>\n",
        WIDTH - RIGHT
    ));
    for tick in 0..=4 {
        let v = low + (high - low) * f64::from(tick) / 4.0;
        out.push_str(&format!(
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{axis_y}\" y2=\"{1}\" stroke=\"black\"/>\n\
             <text x=\"{0:.1}\" y=\"{2}\" text-anchor=\"middle\">{v:.1}</text>\n",
            x(v),
            axis_y + 6.0,
            axis_y + 24.0
        ));
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_run_is_a_dot_and_every_allocator_a_row_with_readable_text() {
        let samples: Vec<Sample> = (0..5)
            .flat_map(|round| {
                [Allocator::System, Allocator::Mimalloc].map(|allocator| Sample {
                    round,
                    allocator,
                    wall: 0.01 + round as f64 * 0.001,
                    max_rss_kib: 1024,
                })
            })
            .collect();
        let svg = svg(&samples);
        assert_eq!(
            svg.matches("<circle").count(),
            10,
            "expected one dot per run, saw:\n{svg}"
        );
        assert!(
            svg.contains(">System</text>") && svg.contains(">mimalloc</text>"),
            "expected a labelled row per allocator, saw:\n{svg}"
        );
        assert!(
            svg.contains("font-size=\"14\"") && svg.contains("width=\"750\""),
            "expected 14 px text on a 750 px picture, saw:\n{svg}"
        );
    }
}
