//! The test side of `c/report.c`: what a host printed, split into the library's readings and the
//! host's own, and checked.

use ch03_probe::run::assert_served_by;
use ch03_probe::{Reading, Verdict};

/// The readings a host printed through `probe_report`: per size, the library's Rust allocations
/// first, then the host's own allocations.
///
/// ```
/// use ch03_probe::{Reading, Verdict};
/// use probe_c_api::report::Report;
///
/// // What `c/report.c` prints for one size: the library's reading, then the host's.
/// let reading = |glibc, jemalloc: u64| Reading {
///     size: 100,
///     count: 64,
///     counted: None,
///     glibc: Some(glibc),
///     jemalloc_thread: Some(jemalloc),
///     jemalloc_stats: Some(jemalloc as i64),
///     jemalloc_owns: Some(jemalloc > 0),
/// };
/// let output = format!("library:\n{}\nhost:\n{}\n", reading(0, 7168), reading(7168, 0));
/// let report = Report::parse(&output, &[100]);
/// assert_eq!(report.library[0].verdict(), Verdict::Jemalloc);
/// assert_eq!(report.host[0].verdict(), Verdict::System);
/// ```
#[derive(Debug, Clone)]
pub struct Report {
    /// The library's Rust allocations, one reading per size.
    pub library: Vec<Reading>,
    /// The host's own allocations, one reading per size.
    pub host: Vec<Reading>,
}

impl Report {
    /// Parses a host's output, which must hold one pair of readings for each of `sizes`, in order.
    /// Panics with the output when it does not.
    ///
    /// ```
    /// use ch03_probe::{Reading, Verdict};
    /// use probe_c_api::report::Report;
    ///
    /// // What `c/report.c` prints for one size: the library's reading, then the host's.
    /// let reading = |glibc, jemalloc: u64| Reading {
    ///     size: 100,
    ///     count: 64,
    ///     counted: None,
    ///     glibc: Some(glibc),
    ///     jemalloc_thread: Some(jemalloc),
    ///     jemalloc_stats: Some(jemalloc as i64),
    ///     jemalloc_owns: Some(jemalloc > 0),
    /// };
    /// let output = format!("library:\n{}\nhost:\n{}\n", reading(0, 7168), reading(7168, 0));
    /// let missing = std::panic::catch_unwind(|| Report::parse(&output, &[100, 4096]));
    /// assert!(missing.is_err(), "no pair of readings for 4096 B");
    /// ```
    pub fn parse(output: &str, sizes: &[u64]) -> Report {
        let readings = ch03_probe::reading::parse_all(output)
            .unwrap_or_else(|err| panic!("a bad reading: {err}\n{output}"));
        let expected: Vec<u64> = sizes.iter().flat_map(|&size| [size, size]).collect();
        let measured: Vec<u64> = readings.iter().map(|r| r.size).collect();
        assert_eq!(
            measured, expected,
            "one pair of readings per size:\n{output}"
        );
        Report {
            library: readings.iter().step_by(2).cloned().collect(),
            host: readings.iter().skip(1).step_by(2).cloned().collect(),
        }
    }

    /// Asserts, both sides of each reading, that `library` served every batch of the library and
    /// `host` every batch of the host ([`assert_served_by`]).
    ///
    /// ```
    /// use ch03_probe::{Reading, Verdict};
    /// use probe_c_api::report::Report;
    ///
    /// // What `c/report.c` prints for one size: the library's reading, then the host's.
    /// let reading = |glibc, jemalloc: u64| Reading {
    ///     size: 100,
    ///     count: 64,
    ///     counted: None,
    ///     glibc: Some(glibc),
    ///     jemalloc_thread: Some(jemalloc),
    ///     jemalloc_stats: Some(jemalloc as i64),
    ///     jemalloc_owns: Some(jemalloc > 0),
    /// };
    /// let output = format!("library:\n{}\nhost:\n{}\n", reading(0, 7168), reading(7168, 0));
    /// let report = Report::parse(&output, &[100]);
    /// report.assert_served_by(Verdict::Jemalloc, Verdict::System);
    /// let swapped = std::panic::catch_unwind(|| {
    ///     report.assert_served_by(Verdict::System, Verdict::Jemalloc)
    /// });
    /// assert!(swapped.is_err(), "the library's batch was jemalloc's");
    /// ```
    pub fn assert_served_by(&self, library: Verdict, host: Verdict) {
        for reading in &self.library {
            assert_served_by(reading, library);
        }
        for reading in &self.host {
            assert_served_by(reading, host);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_alternate_between_library_and_host() {
        let output = "\
the library's Rust allocations, 100 B each:
verdict=Jemalloc  size=100      count=64  requested=6400      counted=n/a
  glibc=0          jemalloc_thread=7168      jemalloc_owns=yes  jemalloc_stats=7168
the host's own malloc, 100 B each:
verdict=System    size=100      count=64  requested=6400      counted=n/a
  glibc=7168       jemalloc_thread=0         jemalloc_owns=no   jemalloc_stats=0
";
        let report = Report::parse(output, &[100]);
        report.assert_served_by(Verdict::Jemalloc, Verdict::System);
        let swapped = std::panic::catch_unwind(|| {
            report.assert_served_by(Verdict::System, Verdict::Jemalloc)
        });
        assert!(swapped.is_err(), "the library's reading is not System's");
    }
}
