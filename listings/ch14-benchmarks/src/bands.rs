//! The System/jemalloc time ratio each workload is expected to show, from published measurements,
//! with their sources. The report puts each measured ratio next to its band.

/// An expected range of System/jemalloc time ratios.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Band {
    /// From `.0` to `.1`, inclusive.
    Between(f64, f64),
    /// Below the value: System ahead.
    Below(f64),
    /// No published figure to compare with.
    None,
}

impl Band {
    /// Whether `ratio` lies in the band; `None` when there is no band.
    pub fn contains(self, ratio: f64) -> Option<bool> {
        match self {
            Band::Between(low, high) => Some((low..=high).contains(&ratio)),
            Band::Below(limit) => Some(ratio < limit),
            Band::None => None,
        }
    }

    /// The band as the table shows it.
    pub fn describe(self) -> String {
        match self {
            Band::Between(low, high) => format!("{low:.1}-{high:.1}"),
            Band::Below(limit) => format!("below {limit:.1}"),
            Band::None => "none published".to_owned(),
        }
    }
}

/// A source of a band: what it measured, and where.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    pub label: &'static str,
    pub url: &'static str,
}

const MIMALLOC_BENCH: Source = Source {
    label: "mimalloc-bench",
    url: "https://github.com/daanx/mimalloc-bench",
};
const RUST_ANALYZER: Source = Source {
    label: "rust-analyzer#1441",
    url: "https://github.com/rust-lang/rust-analyzer/issues/1441",
};
const RUST_ANALYZER_PR: Source = Source {
    label: "rust-analyzer#5354",
    url: "https://github.com/rust-lang/rust-analyzer/pull/5354",
};
/// For the large-block bands no published figure matched these workloads: they are the book's
/// plan, from how the allocators are documented to treat large blocks.
const PLAN: Source = Source {
    label: "the book's plan (no published figure)",
    url: "",
};
const FD_PR: Source = Source {
    label: "fd#481",
    url: "https://github.com/sharkdp/fd/pull/481",
};
const FD_ISSUE: Source = Source {
    label: "fd#710",
    url: "https://github.com/sharkdp/fd/issues/710",
};

/// The band of `workload` and its sources.
pub fn expected(workload: &str) -> (Band, &'static [Source]) {
    match workload {
        "pairs-16B-1KiB" => (Band::Between(1.5, 2.2), &[MIMALLOC_BENCH]),
        "object-churn" => (Band::Between(1.0, 1.2), &[RUST_ANALYZER, RUST_ANALYZER_PR]),
        "producer-consumer-2t" => (Band::Between(0.9, 1.4), &[MIMALLOC_BENCH]),
        "thread-local-2t" | "thread-local-8t" => (Band::Between(1.0, 1.2), &[FD_PR, FD_ISSUE]),
        "large-untouched" => (Band::Below(1.0), &[PLAN]),
        "large-touched" => (Band::Between(0.9, 1.1), &[PLAN]),
        _ => (Band::None, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_band_includes_its_edges_and_below_is_strict() {
        let band = Band::Between(1.5, 2.2);
        assert_eq!(band.contains(1.5), Some(true));
        assert_eq!(band.contains(2.2), Some(true));
        assert_eq!(band.contains(1.49), Some(false));
        assert_eq!(band.contains(2.3), Some(false));
        assert_eq!(Band::Below(1.0).contains(0.99), Some(true));
        assert_eq!(Band::Below(1.0).contains(1.0), Some(false));
        assert_eq!(Band::None.contains(1.0), None);
    }

    #[test]
    fn every_band_has_a_source_and_every_source_a_band() {
        for workload in crate::workloads::WORKLOADS {
            let (band, sources) = expected(workload.name);
            assert_eq!(band == Band::None, sources.is_empty(), "{}", workload.name);
        }
    }
}
