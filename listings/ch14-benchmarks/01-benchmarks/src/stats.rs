//! The statistics of the report: medians, a ratio of medians, its bootstrap confidence
//! interval, and what the interval lets us say.

use crate::rng::Rng;

/// The median of `values` (the mean of the two middle values for an even count). `NaN`
/// if empty.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The `q` quantile (0..=1) of sorted values, by linear interpolation between closest
/// ranks.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
}

/// The ratio of the medians: how many times longer `numerator`'s runs took than
/// `denominator`'s.
pub fn ratio_of_medians(numerator: &[f64], denominator: &[f64]) -> f64 {
    median(numerator) / median(denominator)
}

/// A confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// Resamples in a bootstrap: enough for stable 2.5% and 97.5% quantiles.
pub const RESAMPLES: usize = 2000;

// ANCHOR: bootstrap
/// The 95% percentile-bootstrap interval of [`ratio_of_medians`]. Samples are paired by
/// round (`numerator[i]` and `denominator[i]` ran in the same round), so each resample
/// draws whole rounds with replacement, which keeps whatever the machine was doing in a
/// round on both sides.
pub fn bootstrap_ratio(numerator: &[f64], denominator: &[f64], seed: u64) -> Interval {
    assert_eq!(
        numerator.len(),
        denominator.len(),
        "samples are paired by round"
    );
    assert!(!numerator.is_empty(), "no samples to resample");
    let n = numerator.len();
    let mut rng = Rng::new(seed);
    let (mut top, mut bottom) = (vec![0.0; n], vec![0.0; n]);
    let mut ratios: Vec<f64> = (0..RESAMPLES)
        .map(|_| {
            for i in 0..n {
                let round = rng.below(n);
                top[i] = numerator[round];
                bottom[i] = denominator[round];
            }
            ratio_of_medians(&top, &bottom)
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    Interval {
        low: quantile(&ratios, 0.025),
        high: quantile(&ratios, 0.975),
    }
}
// ANCHOR_END: bootstrap

/// What a System/other time ratio and its interval let us say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// The whole interval lies inside 0.98-1.02.
    NoDifference,
    /// The whole interval lies above 1: System took longer.
    OtherFaster,
    /// The whole interval lies below 1: System took less time.
    SystemFaster,
    /// The interval contains 1 but reaches outside 0.98-1.02: not enough rounds to
    /// tell.
    Unresolved,
}

/// The interval inside which a ratio counts as no difference.
pub const NO_DIFFERENCE: (f64, f64) = (0.98, 1.02);

// ANCHOR: finding
/// Reads an interval of System/other time ratios.
pub fn finding(interval: Interval) -> Finding {
    if interval.low >= NO_DIFFERENCE.0 && interval.high <= NO_DIFFERENCE.1 {
        Finding::NoDifference
    } else if interval.low > 1.0 {
        Finding::OtherFaster
    } else if interval.high < 1.0 {
        Finding::SystemFaster
    } else {
        Finding::Unresolved
    }
}
// ANCHOR_END: finding

impl Finding {
    /// Words for the table; `other` names the allocator System is compared with.
    pub fn describe(self, other: &str) -> String {
        match self {
            Finding::NoDifference => "no difference".to_owned(),
            Finding::OtherFaster => format!("{other} faster"),
            Finding::SystemFaster => "System faster".to_owned(),
            Finding::Unresolved => "unresolved".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[5.0]), 5.0);
        assert!(
            median(&[]).is_nan(),
            "expected the median of nothing to be NaN, saw {}",
            median(&[])
        );
    }

    #[test]
    fn quantiles_interpolate_between_ranks() {
        let sorted = [10.0, 20.0, 30.0, 40.0, 50.0];
        assert_eq!(quantile(&sorted, 0.0), 10.0);
        assert_eq!(quantile(&sorted, 1.0), 50.0);
        assert_eq!(quantile(&sorted, 0.5), 30.0);
        assert_eq!(quantile(&sorted, 0.125), 15.0);
    }

    #[test]
    fn ratio_is_of_the_medians() {
        // The outlier (1000) moves a mean, not a median: 30 / 10.
        assert_eq!(
            ratio_of_medians(&[30.0, 20.0, 1000.0], &[10.0, 11.0, 9.0]),
            3.0
        );
    }

    #[test]
    fn an_exact_ratio_has_a_zero_width_interval() {
        let jemalloc = [10.0, 12.0, 11.0, 13.0, 9.0, 10.5];
        let system: Vec<f64> = jemalloc.iter().map(|t| 2.0 * t).collect();
        let interval = bootstrap_ratio(&system, &jemalloc, 1);
        assert!(
            (interval.low - 2.0).abs() < 1e-12 && (interval.high - 2.0).abs() < 1e-12,
            "expected the interval to be exactly 2, saw {interval:?}"
        );
    }

    #[test]
    fn the_bootstrap_is_fixed_by_its_seed_and_brackets_the_estimate() {
        // Fixed noisy data: System about 1.5 times jemalloc.
        let jemalloc = [10.0, 10.4, 9.8, 10.9, 10.1, 9.7, 10.3, 11.2, 10.0, 9.9];
        let system = [15.2, 14.8, 15.9, 15.1, 16.4, 14.7, 15.0, 15.6, 14.9, 15.3];
        let first = bootstrap_ratio(&system, &jemalloc, 7);
        assert_eq!(first, bootstrap_ratio(&system, &jemalloc, 7));
        assert_ne!(first, bootstrap_ratio(&system, &jemalloc, 8));
        let estimate = ratio_of_medians(&system, &jemalloc);
        assert!(
            first.low <= estimate && estimate <= first.high,
            "{first:?} {estimate}"
        );
        assert!(first.low > 1.35 && first.high < 1.65, "{first:?}");
    }

    #[test]
    fn findings_follow_the_interval() {
        let at = |low, high| finding(Interval { low, high });
        assert_eq!(at(0.99, 1.01), Finding::NoDifference);
        assert_eq!(at(0.98, 1.02), Finding::NoDifference);
        assert_eq!(at(1.01, 1.03), Finding::OtherFaster);
        assert_eq!(at(1.5, 2.0), Finding::OtherFaster);
        assert_eq!(at(0.5, 0.9), Finding::SystemFaster);
        assert_eq!(at(0.97, 1.01), Finding::Unresolved);
        assert_eq!(at(0.9, 1.2), Finding::Unresolved);
    }
}
