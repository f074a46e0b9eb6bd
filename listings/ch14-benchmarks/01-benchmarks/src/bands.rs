//! The System/jemalloc time ratio each workload is expected to show, and where that
//! expectation comes from: a published figure (with its source), or the book's own
//! expectation where nothing comparable was published. The report puts each measured
//! ratio next to its band and its origin.

/// A range of System/jemalloc time ratios.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Range {
    /// From `.0` to `.1`, inclusive.
    Between(f64, f64),
    /// Below the value: System ahead.
    Below(f64),
}

impl Range {
    /// Whether `ratio` lies in the range.
    pub fn contains(self, ratio: f64) -> bool {
        match self {
            Range::Between(low, high) => (low..=high).contains(&ratio),
            Range::Below(limit) => ratio < limit,
        }
    }

    /// The range as the table shows it.
    pub fn describe(self) -> String {
        match self {
            Range::Between(low, high) => format!("{low:.1}-{high:.1}"),
            Range::Below(limit) => format!("below {limit:.1}"),
        }
    }
}

/// Where a publication is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Source {
    pub label: &'static str,
    pub url: &'static str,
}

/// One published System/jemalloc time ratio: what was measured, and where it was
/// published.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// System time divided by jemalloc time, as computed from the published times.
    pub ratio: f64,
    /// What the figure timed.
    pub what: &'static str,
    pub source: Source,
}

/// Why a band is what it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Origin {
    /// Published figures for a comparable workload; the band contains each of them.
    Published(&'static [Figure]),
    /// No published figure for a comparable workload: the band is what the allocators'
    /// documented designs lead the book to expect.
    Expected,
}

impl Origin {
    /// The origin as the table shows it, in Markdown.
    pub fn describe(self) -> String {
        match self {
            Origin::Published(figures) => {
                let cited: Vec<String> = figures
                    .iter()
                    .map(|f| {
                        let label = crate::markdown::md_text(f.source.label);
                        format!("{:.2} ([{label}]({}))", f.ratio, f.source.url)
                    })
                    .collect();
                format!("published: {}", cited.join(", "))
            }
            Origin::Expected => "expected, no published figure".to_owned(),
        }
    }

    /// One word for the summary CSV.
    pub fn kind(self) -> &'static str {
        match self {
            Origin::Published(_) => "published",
            Origin::Expected => "expected",
        }
    }
}

/// The range a workload's System/jemalloc ratio is expected in, and the origin of that
/// range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub range: Range,
    pub origin: Origin,
}

impl Band {
    /// Whether `ratio` lies in the band.
    pub fn contains(self, ratio: f64) -> bool {
        self.range.contains(ratio)
    }
}

/// rust-analyzer's `analysis` phase, three runs each: 15.26-15.36 s on glibc 2.28,
/// 14.61-14.67 s on jemalloc (means 15.30 s and 14.65 s).
const RUST_ANALYZER_1441: Figure = Figure {
    ratio: 1.04,
    what: "rust-analyzer's analysis phase, glibc 2.28 against jemalloc",
    source: Source {
        label: "rust-analyzer#1441",
        url: "https://github.com/rust-lang/rust-analyzer/issues/1441",
    },
};
/// rust-analyzer's `analysis-stats` on chalk, self-reported time of two runs each:
/// 225.1 s and 228.4 s on glibc 2.30, 201.8 s and 199.2 s on jemalloc (means 226.75 s
/// and 200.5 s).
const RUST_ANALYZER_5354: Figure = Figure {
    ratio: 1.13,
    what: "rust-analyzer's analysis-stats on chalk, glibc 2.30 against jemalloc",
    source: Source {
        label: "rust-analyzer#5354",
        url: "https://github.com/rust-lang/rust-analyzer/pull/5354",
    },
};

/// The band of `workload`, or `None` when the book expects nothing in particular.
pub fn expected(workload: &str) -> Option<Band> {
    let (range, origin) = match workload {
        "pairs-16B-1KiB" => (Range::Between(1.5, 2.2), Origin::Expected),
        "object-churn" => (
            Range::Between(1.0, 1.2),
            Origin::Published(&[RUST_ANALYZER_1441, RUST_ANALYZER_5354]),
        ),
        "producer-consumer-2t" => (Range::Between(0.9, 1.4), Origin::Expected),
        "thread-local-2t" | "thread-local-8t" => {
            (Range::Between(1.0, 1.2), Origin::Expected)
        }
        "large-untouched" => (Range::Below(1.0), Origin::Expected),
        "large-touched" => (Range::Between(0.9, 1.1), Origin::Expected),
        _ => return None,
    };
    Some(Band { range, origin })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_band_includes_its_edges_and_below_is_strict() {
        let range = Range::Between(1.5, 2.2);
        assert!(
            range.contains(1.5) && range.contains(2.2),
            "expected 1.5-2.2 to include both edges, saw {range:?}"
        );
        assert!(
            !range.contains(1.49) && !range.contains(2.3),
            "expected 1.5-2.2 to exclude 1.49 and 2.3, saw {range:?}"
        );
        assert!(
            Range::Below(1.0).contains(0.99),
            "expected below 1.0 to include 0.99, it did not"
        );
        assert!(
            !Range::Below(1.0).contains(1.0),
            "expected below 1.0 to exclude 1.0 itself, it did not"
        );
    }

    #[test]
    fn no_band_claims_published_without_a_source_whose_figure_it_contains() {
        for workload in crate::workloads::WORKLOADS {
            let Some(band) = expected(workload.name) else {
                continue;
            };
            match band.origin {
                Origin::Published(figures) => {
                    assert!(
                        !figures.is_empty(),
                        "{}: the band says published but names no figure",
                        workload.name
                    );
                    for figure in figures {
                        assert!(
                            !figure.source.label.is_empty()
                                && figure.source.url.starts_with("https://")
                                && !figure.what.is_empty(),
                            "{}: expected a named source with a link and what it timed, saw \
                             {figure:?}",
                            workload.name
                        );
                        assert!(
                            band.contains(figure.ratio),
                            "{}: the band {} says published, but its source {} gives {:.2}, \
                             outside it",
                            workload.name,
                            band.range.describe(),
                            figure.source.label,
                            figure.ratio
                        );
                    }
                }
                Origin::Expected => assert_eq!(
                    band.origin.describe(),
                    "expected, no published figure",
                    "{}",
                    workload.name
                ),
            }
        }
    }

    #[test]
    fn the_table_says_where_each_band_comes_from() {
        let churn = expected("object-churn").expect("object-churn has a band");
        assert_eq!(
            churn.origin.describe(),
            "published: 1.04 ([rust-analyzer#1441](https://github.com/rust-lang/rust-analyzer/issues/1441)), \
             1.13 ([rust-analyzer#5354](https://github.com/rust-lang/rust-analyzer/pull/5354))"
        );
        let pairs = expected("pairs-16B-1KiB").expect("pairs has a band");
        assert_eq!(pairs.origin.kind(), "expected");
        assert_eq!(expected("startup"), None);
    }
}
