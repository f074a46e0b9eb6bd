//! The chapter's plots are drawn for the book's text column: 750 px wide, so that the
//! page shows them at their own size, with no text under 12 px; the ratio plot also has
//! a phone variant, 360 px wide, that the page shows below 600 px, with no text under
//! 12 px either; and the ratio axis labelled at 0.5, 2 and 5 as well as 1 (so that
//! ratios such as 1.13 and 1.63 can be told apart by eye).

use std::path::Path;

use ch14_benchmarks::report;
use ch14_benchmarks::results::read_runs;

/// The plots, drawn again from the committed samples: `(file name, SVG)`.
fn plots() -> Vec<(String, String)> {
    let runs = read_runs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("results"))
        .unwrap_or_else(|err| panic!("{err}"));
    let rendered = report::render(&runs).unwrap_or_else(|err| panic!("{err}"));
    rendered
        .images
        .iter()
        .map(|(name, svg)| (name.to_string(), svg.clone()))
        .collect()
}

/// The value of each `name="..."` attribute in the SVG.
fn attributes<'a>(svg: &'a str, name: &str) -> Vec<&'a str> {
    let key = format!(" {name}=\"");
    svg.match_indices(&key)
        .filter_map(|(at, _)| svg[at + key.len()..].split('"').next())
        .collect()
}

#[test]
fn the_plots_are_750_px_wide_with_text_of_12_px_or_more() {
    let plots = plots();
    assert!(
        plots.len() >= 3,
        "expected the ratio plot, its phone variant and the memory plot; got {}",
        plots.len()
    );
    for (name, svg) in &plots {
        let expected = if name.ends_with("-narrow.svg") {
            "360"
        } else {
            "750"
        };
        let width = attributes(svg, "width")
            .first()
            .copied()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(
            width, expected,
            "{name} should be drawn {expected} px wide (750: the text column; 360: a phone)"
        );
        let sizes: Vec<f64> = attributes(svg, "font-size")
            .iter()
            .map(|size| size.parse().unwrap_or(0.0))
            .collect();
        assert!(!sizes.is_empty(), "{name} has no text");
        let smallest = sizes.iter().copied().fold(f64::INFINITY, f64::min);
        assert!(
            smallest >= 12.0,
            "{name} has text of {smallest:.1} px; every label should be 12 px or more"
        );
    }
}

#[test]
fn the_ratio_axis_is_labelled_at_half_two_and_five() {
    let (name, svg) = plots()
        .into_iter()
        .find(|(name, _)| name.contains("ratios"))
        .unwrap_or_else(|| panic!("no ratio plot among the rendered images"));
    let labels: Vec<String> = svg
        .split("</text>")
        .filter_map(|chunk| chunk.rsplit('>').next())
        .map(|text| text.trim().to_owned())
        .collect();
    for tick in ["0.5", "1", "2", "5"] {
        assert!(
            labels.iter().any(|label| label == tick),
            "{name}: expected a tick labelled {tick} on the ratio axis; labels: {labels:?}"
        );
    }
}

#[test]
fn the_phone_variant_names_every_workload_the_column_plot_names() {
    let plots = plots();
    let find = |suffix: &str| {
        plots
            .iter()
            .find(|(name, _)| name.ends_with(suffix))
            .map(|(_, svg)| svg.clone())
            .unwrap_or_else(|| {
                panic!("no plot ending in {suffix} among the rendered images")
            })
    };
    let (column, phone) = (find("ch14-ratios.svg"), find("ch14-ratios-narrow.svg"));
    let labels = |svg: &str| -> Vec<String> {
        svg.split("</text>")
            .filter_map(|chunk| chunk.rsplit('>').next())
            .map(|text| text.trim().to_owned())
            .filter(|text| text.contains('-') && !text.contains(' '))
            .collect()
    };
    let workloads = labels(&column);
    assert!(
        workloads.len() >= 10,
        "expected the column plot to name every workload, saw {workloads:?}"
    );
    assert_eq!(
        labels(&phone),
        workloads,
        "expected the phone variant to name the same workloads in the same order"
    );
    // The same data: as many points (one per workload, allocator and run, and the
    // legend's) and as many bands.
    for shape in ["<circle", "<rect"] {
        assert_eq!(
            phone.matches(shape).count(),
            column.matches(shape).count(),
            "expected the phone variant to draw as many {shape} elements as the column plot"
        );
    }
}
