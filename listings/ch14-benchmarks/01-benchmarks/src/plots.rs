//! The chapter's plots, as SVG text (plotters' SVG backend: no bitmap code, no system
//! fonts; the browser draws the labels).

use plotters::prelude::*;

use crate::Allocator;
use crate::bands::Range;
use crate::markdown::after_label;
use crate::results::RssRow;
use crate::summary::Row;

const JEMALLOC: RGBColor = RGBColor(31, 119, 180);
const MIMALLOC: RGBColor = RGBColor(255, 127, 14);
const SYSTEM: RGBColor = RGBColor(44, 160, 44);
const BAND: RGBColor = RGBColor(215, 215, 215);

/// Both plots are drawn at the width of the book's text column, so that 1 px in the SVG
/// is 1 px on the page and the text keeps its size. plotters writes a font of size `s`
/// as `font-size="s / 1.24"`: these give labels of 14.5 px and captions of 16.1 px.
const WIDTH: u32 = 750;
const LABEL_PX: u32 = 18;
const CAPTION_PX: u32 = 20;
/// The phone variant is drawn at a phone's width, 360 px, with labels of 12.9 px (16 /
/// 1.24).
const PHONE_WIDTH: u32 = 360;
const PHONE_LABEL_PX: u32 = 16;
/// The ratio axis' ticks (a log scale): 1, 2 and 5 in each decade, so that 1.13 and
/// 1.63 fall on either side of a labelled tick.
const RATIO_TICKS: [f64; 10] = [0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0];
/// On a phone the axis is a third as long: one tick a decade keeps the labels apart.
const PHONE_RATIO_TICKS: [f64; 5] = [0.01, 0.1, 1.0, 10.0, 100.0];

fn color(allocator: Allocator) -> RGBColor {
    match allocator {
        Allocator::System => SYSTEM,
        Allocator::Jemalloc => JEMALLOC,
        Allocator::Mimalloc => MIMALLOC,
    }
}

fn failed(err: impl std::fmt::Display) -> String {
    format!("cannot draw the plot: {err}")
}

/// The series' legend, in the upper right corner that the memory plot leaves free.
fn draw_legend<'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, CT>,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", LABEL_PX))
        .draw()
        .map_err(failed)
}

/// Where a plot is shown: the book's text column, or a phone's screen (the page swaps
/// in the narrow drawing below 600 px, so that its text keeps its size there too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// 750 px wide.
    Column,
    /// 360 px wide, fewer words in the caption and the legend, a tick a decade.
    Phone,
}

/// The ratio plot's four series: each allocator in each run, with its row offset and
/// colour (run 2 paler).
const SERIES: [(Allocator, usize, f64); 4] = [
    (Allocator::Jemalloc, 1, 0.27),
    (Allocator::Jemalloc, 2, 0.09),
    (Allocator::Mimalloc, 1, -0.09),
    (Allocator::Mimalloc, 2, -0.27),
];

fn series_color(allocator: Allocator, run: usize) -> RGBAColor {
    color(allocator).mix(if run == 1 { 1.0 } else { 0.45 })
}

/// Horizontal rows, one per workload: the System/jemalloc and System/mimalloc ratios of
/// both runs with their 95% intervals, over the expected band in grey, on a log scale
/// with a line at 1.
pub fn ratios_svg(pairs: &[(&Row, &Row)], layout: Layout) -> Result<String, String> {
    let n = pairs.len();
    let mut low: f64 = 0.8;
    let mut high: f64 = 1.25;
    for (one, two) in pairs {
        for c in [one.jemalloc, one.mimalloc, two.jemalloc, two.mimalloc] {
            low = low.min(c.interval.low);
            high = high.max(c.interval.high);
        }
        if let Some(Range::Between(a, b)) = one.band.map(|b| b.range) {
            low = low.min(a);
            high = high.max(b);
        }
    }
    let (width, label_px, names_px, caption, legend_h) = match layout {
        Layout::Column => (
            WIDTH,
            LABEL_PX,
            170,
            "System time / other allocator's time (95% CI; grey: band)",
            64,
        ),
        Layout::Phone => (
            PHONE_WIDTH,
            PHONE_LABEL_PX,
            138,
            "System time / other's time",
            64,
        ),
    };
    let (low, high) = (low / 1.2, high * 1.3);
    // Row i is drawn at y = n - 1 - i, so the first workload is on top.
    let y_of = |i: usize| (n - 1 - i) as f64;
    let names: Vec<&str> = pairs.iter().map(|(r, _)| r.workload).collect();
    let height = 100 + 44 * n as u32 + legend_h;
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let (plot, legend) = root.split_vertically(height - legend_h);
        let mut chart = ChartBuilder::on(&plot)
            .caption(caption, ("sans-serif", label_px + 2))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(names_px)
            .build_cartesian_2d(
                (low..high).log_scale().with_key_points(
                    match layout {
                        Layout::Column => &RATIO_TICKS[..],
                        Layout::Phone => &PHONE_RATIO_TICKS[..],
                    }
                    .iter()
                    .copied()
                    .filter(|x| (low..=high).contains(x))
                    .collect(),
                ),
                -0.5..(n as f64 - 0.5),
            )
            .map_err(failed)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| {
                let row = n as f64 - 1.0 - y.round();
                if (y - y.round()).abs() < 1e-6 && row >= 0.0 && (row as usize) < n {
                    names[row as usize].to_owned()
                } else {
                    String::new()
                }
            })
            .x_desc(match layout {
                Layout::Column => "ratio (above 1: the other allocator is faster)",
                Layout::Phone => "above 1: the other is faster",
            })
            .label_style(("sans-serif", label_px))
            .axis_desc_style(("sans-serif", label_px))
            .x_label_formatter(&|x| format!("{x}"))
            .draw()
            .map_err(failed)?;
        chart
            .draw_series(pairs.iter().enumerate().filter_map(|(i, (r, _))| {
                let (a, b) = match r.band?.range {
                    Range::Between(a, b) => (a, b),
                    Range::Below(b) => (low, b),
                };
                let y = y_of(i);
                Some(Rectangle::new(
                    [(a, y - 0.45), (b, y + 0.45)],
                    BAND.filled(),
                ))
            }))
            .map_err(failed)?;
        chart
            .draw_series(LineSeries::new(
                [(1.0, -0.5), (1.0, n as f64 - 0.5)],
                BLACK.stroke_width(1),
            ))
            .map_err(failed)?;
        for (allocator, run, offset) in SERIES {
            let style = series_color(allocator, run).filled().stroke_width(2);
            chart
                .draw_series(pairs.iter().enumerate().map(|(i, (one, two))| {
                    let r = if run == 1 { one } else { two };
                    let c = if allocator == Allocator::Jemalloc {
                        r.jemalloc
                    } else {
                        r.mimalloc
                    };
                    ErrorBar::new_horizontal(
                        y_of(i) + offset,
                        c.interval.low,
                        c.ratio,
                        c.interval.high,
                        style,
                        6,
                    )
                }))
                .map_err(failed)?;
        }
        // The legend, under the plot where it hides nothing: two entries a line.
        let (left, step, prefix) = match layout {
            Layout::Column => (names_px, 300, "System / "),
            Layout::Phone => (16, 170, ""),
        };
        for (k, (allocator, run, _)) in SERIES.into_iter().enumerate() {
            let (x, y) = (left + step * (k as i32 / 2), 16 + 26 * (k as i32 % 2));
            let entry = series_color(allocator, run).filled();
            legend
                .draw(&Circle::new((x, y), 5, entry))
                .map_err(failed)?;
            legend
                .draw(&Text::new(
                    format!("{prefix}{}, run {run}", allocator.name()),
                    (x + 12, y - 9),
                    ("sans-serif", label_px),
                ))
                .map_err(failed)?;
        }
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// Resident memory of each allocator's process at each reading of the RSS workload, in
/// MiB.
pub fn rss_svg(rss: &[RssRow]) -> Result<String, String> {
    let readings = |a: Allocator| -> Vec<&RssRow> {
        rss.iter().filter(|r| r.allocator == a).collect()
    };
    let system = readings(Allocator::System);
    let labels: Vec<String> = system
        .iter()
        .map(|r| match r.phase.as_str() {
            "peak" => "peak".to_owned(),
            "freed" => format!("freed, {}", after_label(r.after_ms)),
            _ => "released".to_owned(),
        })
        .collect();
    // Head room above the highest line for the legend.
    let top = rss.iter().map(|r| r.bytes).max().unwrap_or(1) as f64
        / f64::from(1 << 20)
        * 1.35;
    let n = labels.len().max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Resident memory after freeing 90% of the blocks (MiB)",
                ("sans-serif", CAPTION_PX),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(-0.3..(n as f64 - 0.7), 0.0..top)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
                    labels[i as usize].clone()
                } else {
                    String::new()
                }
            })
            .y_desc("MiB resident")
            .label_style(("sans-serif", LABEL_PX))
            .axis_desc_style(("sans-serif", LABEL_PX))
            .draw()
            .map_err(failed)?;
        for allocator in Allocator::ALL {
            let points: Vec<(f64, f64)> = readings(allocator)
                .iter()
                .enumerate()
                .map(|(i, r)| (i as f64, r.bytes as f64 / f64::from(1 << 20)))
                .collect();
            let style = color(allocator).stroke_width(2);
            chart
                .draw_series(LineSeries::new(points.clone(), style))
                .map_err(failed)?
                .label(allocator.name())
                .legend(move |(x, y)| {
                    PathElement::new(
                        [(x, y), (x + 16, y)],
                        color(allocator).stroke_width(2),
                    )
                });
            chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, 4, color(allocator).filled())),
                )
                .map_err(failed)?;
        }
        draw_legend(&mut chart)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// Six colours that stay apart on white.
const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

/// Every text of the line plots is at least this large. plotters writes a font of size
/// `n` as `n / 1.24` px, so 19 becomes 15.3 px in the file, and 12.8 px once the 900 px
/// drawing is shown about 750 px wide.
pub const LINE_PLOT_TEXT: u32 = 19;

/// Resident memory through time: one line per series of `(seconds, MiB)` points.
pub fn lines_svg(
    title: &str,
    series: &[(&str, Vec<(f64, f64)>)],
) -> Result<String, String> {
    let end = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|&(x, _)| x))
        .fold(1.0, f64::max);
    let top = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|&(_, y)| y))
        .fold(1.0, f64::max);
    // Head room above the highest line for the legend.
    let top = top * (1.15 + 0.09 * series.len() as f64);
    let text = ("sans-serif", LINE_PLOT_TEXT);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 480)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", LINE_PLOT_TEXT + 2))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..end, 0.0..top)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .x_desc("seconds since the start")
            .y_desc("MiB resident")
            .label_style(text)
            .axis_desc_style(text)
            .draw()
            .map_err(failed)?;
        for (i, (name, points)) in series.iter().enumerate() {
            let c = PALETTE[i % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(points.clone(), c.stroke_width(2)))
                .map_err(failed)?
                .label(*name)
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], c.stroke_width(3))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(text)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}
