//! What one measurement saw, the verdict it supports, and the one-line text form that binaries
//! print and tests parse.

use std::fmt;
use std::str::FromStr;

/// Which allocator served a measured batch of allocations.
///
/// ```
/// use ch03_probe::Verdict;
///
/// assert_eq!("Jemalloc".parse::<Verdict>(), Ok(Verdict::Jemalloc));
/// assert_eq!(Verdict::System.to_string(), "System");
/// assert!("glibc".parse::<Verdict>().is_err(), "glibc is not a verdict");
/// ```
///
/// The verdict in programs that declare their global allocator. Each of these two examples is
/// a crate and a process of its own (`standalone_crate`), so its `#[global_allocator]` is the
/// only one in its program; flip it and the example fails.
///
#[doc = concat!("```rust,standalone_crate\n", include_str!("../doctests/system_verdict.rs"), "```")]
///
// With jemalloc only: it does not build for MSVC, and a build without the `jemalloc`
// feature has none.
#[cfg_attr(
    all(feature = "jemalloc", not(target_env = "msvc")),
    doc = concat!("```rust,standalone_crate\n", include_str!("../doctests/jemalloc_verdict.rs"), "```")
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// glibc's counters grew by the batch; jemalloc's did not and it owns none of the blocks.
    System,
    /// jemalloc's counter grew by the batch and it owns the blocks; glibc's counters did not move.
    Jemalloc,
    /// The readings do not agree on either (another allocator, or a platform without glibc).
    Unknown,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::System => "System",
            Verdict::Jemalloc => "Jemalloc",
            Verdict::Unknown => "Unknown",
        })
    }
}

impl FromStr for Verdict {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, ParseError> {
        match text {
            "System" => Ok(Verdict::System),
            "Jemalloc" => Ok(Verdict::Jemalloc),
            "Unknown" => Ok(Verdict::Unknown),
            other => Err(ParseError(format!(
                "`{other}` is not a verdict (System, Jemalloc or Unknown)"
            ))),
        }
    }
}

/// The readings taken around one batch of `count` live blocks of `size` bytes.
///
/// A reading the platform cannot take is `None`, printed as `n/a`.
///
/// ```
/// use ch03_probe::{Reading, Verdict};
///
/// let reading = Reading {
///     size: 100,
///     count: 64,
///     counted: None,
///     glibc: Some(7168),
///     jemalloc_thread: Some(0),
///     jemalloc_stats: Some(0),
///     jemalloc_owns: Some(false),
/// };
/// assert_eq!(reading.verdict(), Verdict::System);
/// // The printed line parses back to the same reading.
/// assert_eq!(reading.to_string().parse::<Reading>(), Ok(reading));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// Bytes per block.
    pub size: u64,
    /// Blocks in the batch.
    pub count: u64,
    /// Bytes that passed through the global allocator, from a [`Counting`](crate::Counting) wrapper.
    pub counted: Option<u64>,
    /// Change of glibc's bytes in use ([`glibc::in_use`](crate::glibc::in_use)).
    pub glibc: Option<i64>,
    /// Change of jemalloc's per-thread allocated bytes (`thread.allocatedp`).
    pub jemalloc_thread: Option<u64>,
    /// Change of jemalloc's global allocated bytes (`stats.allocated`).
    pub jemalloc_stats: Option<i64>,
    /// Whether jemalloc owns the first block (`arenas.lookup`).
    pub jemalloc_owns: Option<bool>,
}

impl Reading {
    /// Bytes the batch asked for: `size * count`.
    ///
    /// ```
    /// let reading = ch03_probe::Probe::new().measure(100);
    /// assert_eq!(reading.requested(), 6400, "64 blocks of 100 B");
    /// ```
    pub fn requested(&self) -> u64 {
        self.size * self.count
    }

    /// The allocator the readings point to. Each side must show the batch and the other side must
    /// show nothing: glibc grew by at least half the request (its per-thread cache can hide up to
    /// 7 blocks of a batch) and by less than one block otherwise; jemalloc's thread counter grew
    /// by at least the whole request and it owns the first block, or grew by nothing and does not.
    ///
    /// ```
    /// use ch03_probe::{Reading, Verdict};
    ///
    /// let served_by_jemalloc = Reading {
    ///     size: 100,
    ///     count: 64,
    ///     counted: None,
    ///     glibc: Some(0),
    ///     jemalloc_thread: Some(7168),
    ///     jemalloc_stats: Some(7168),
    ///     jemalloc_owns: Some(true),
    /// };
    /// assert_eq!(served_by_jemalloc.verdict(), Verdict::Jemalloc);
    /// // Both sides grew: no allocator can claim the batch.
    /// let both = Reading { glibc: Some(7168), ..served_by_jemalloc };
    /// assert_eq!(both.verdict(), Verdict::Unknown);
    /// ```
    // ANCHOR: verdict
    pub fn verdict(&self) -> Verdict {
        let glibc_served = self
            .glibc
            .is_some_and(|grew| grew >= (self.requested() / 2) as i64);
        let glibc_silent = self.glibc.is_none_or(|grew| grew < self.size as i64);
        let jemalloc_served = self
            .jemalloc_thread
            .is_some_and(|grew| grew >= self.requested())
            && self.jemalloc_owns == Some(true);
        let jemalloc_silent =
            self.jemalloc_thread.is_none_or(|grew| grew == 0) && self.jemalloc_owns != Some(true);
        match (glibc_served, jemalloc_served) {
            (true, false) if jemalloc_silent => Verdict::System,
            (false, true) if glibc_silent => Verdict::Jemalloc,
            _ => Verdict::Unknown,
        }
    }
    // ANCHOR_END: verdict
}

fn show<T: fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |v| v.to_string())
}

impl fmt::Display for Reading {
    /// `size=100 count=64 requested=6400 counted=6400 glibc=7168 jemalloc_thread=0
    /// jemalloc_stats=0 jemalloc_owns=no verdict=System`, on one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "size={} count={} requested={} counted={} glibc={} jemalloc_thread={} jemalloc_stats={} jemalloc_owns={} verdict={}",
            self.size,
            self.count,
            self.requested(),
            show(self.counted),
            show(self.glibc),
            show(self.jemalloc_thread),
            show(self.jemalloc_stats),
            show(
                self.jemalloc_owns
                    .map(|owns| if owns { "yes" } else { "no" })
            ),
            self.verdict()
        )
    }
}

/// A line that is not a [`Reading`], and why.
///
/// ```
/// use ch03_probe::Reading;
///
/// let err = "not a reading".parse::<Reading>().expect_err("no fields");
/// assert!(err.to_string().contains("not a reading"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

fn field<T: FromStr>(line: &str, key: &str) -> Result<Option<T>, ParseError> {
    let value = line
        .split_whitespace()
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
        .ok_or_else(|| ParseError(format!("no `{key}=` in the reading `{line}`")))?;
    if value == "n/a" {
        return Ok(None);
    }
    value
        .parse()
        .map(Some)
        .map_err(|_| ParseError(format!("`{key}={value}` is not a valid value in `{line}`")))
}

fn required<T: FromStr>(line: &str, key: &str) -> Result<T, ParseError> {
    field(line, key)?.ok_or_else(|| ParseError(format!("`{key}` cannot be n/a in `{line}`")))
}

impl FromStr for Reading {
    type Err = ParseError;

    /// Parses the line [`Display`](fmt::Display) writes. The printed verdict must be the one
    /// the readings give, so a line cannot claim a verdict its numbers do not support.
    fn from_str(line: &str) -> Result<Self, ParseError> {
        let owns = match field::<String>(line, "jemalloc_owns")?.as_deref() {
            None => None,
            Some("yes") => Some(true),
            Some("no") => Some(false),
            Some(other) => {
                return Err(ParseError(format!(
                    "jemalloc_owns={other} is neither yes nor no"
                )));
            }
        };
        let reading = Reading {
            size: required(line, "size")?,
            count: required(line, "count")?,
            counted: field(line, "counted")?,
            glibc: field(line, "glibc")?,
            jemalloc_thread: field(line, "jemalloc_thread")?,
            jemalloc_stats: field(line, "jemalloc_stats")?,
            jemalloc_owns: owns,
        };
        let printed: Verdict = required(line, "verdict")?;
        if printed != reading.verdict() {
            return Err(ParseError(format!(
                "the line says verdict={printed} but its readings give {}: `{line}`",
                reading.verdict()
            )));
        }
        Ok(reading)
    }
}

/// Parses every line of a program's output that is a reading (it starts with `size=`).
///
/// ```
/// use ch03_probe::{Probe, reading::parse_all};
///
/// let reading = Probe::new().measure(100);
/// let output = format!("a header line\n{reading}\n");
/// assert_eq!(parse_all(&output), Ok(vec![reading]));
/// ```
pub fn parse_all(output: &str) -> Result<Vec<Reading>, ParseError> {
    output
        .lines()
        .filter(|line| line.trim_start().starts_with("size="))
        .map(|line| line.trim().parse())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading() -> Reading {
        Reading {
            size: 100,
            count: 64,
            counted: Some(6400),
            glibc: Some(7168),
            jemalloc_thread: Some(0),
            jemalloc_stats: Some(0),
            jemalloc_owns: Some(false),
        }
    }

    #[test]
    fn display_and_parse_round_trip() {
        let line = reading().to_string();
        assert_eq!(
            line,
            "size=100 count=64 requested=6400 counted=6400 glibc=7168 jemalloc_thread=0 jemalloc_stats=0 jemalloc_owns=no verdict=System"
        );
        assert_eq!(line.parse::<Reading>(), Ok(reading()));
    }

    #[test]
    fn jemalloc_needs_its_counter_its_ownership_and_a_silent_glibc() {
        let jemalloc = Reading {
            glibc: Some(0),
            jemalloc_thread: Some(7168),
            jemalloc_owns: Some(true),
            ..reading()
        };
        assert_eq!(jemalloc.verdict(), Verdict::Jemalloc);
        let not_owned = Reading {
            jemalloc_owns: Some(false),
            ..jemalloc.clone()
        };
        assert_eq!(not_owned.verdict(), Verdict::Unknown);
        let glibc_moved = Reading {
            glibc: Some(6400),
            ..jemalloc.clone()
        };
        assert_eq!(glibc_moved.verdict(), Verdict::Unknown);
        let short = Reading {
            jemalloc_thread: Some(6399),
            ..jemalloc
        };
        assert_eq!(short.verdict(), Verdict::Unknown);
    }

    #[test]
    fn system_needs_glibc_to_grow_and_jemalloc_to_stay_still() {
        assert_eq!(reading().verdict(), Verdict::System);
        let hidden = Reading {
            glibc: Some(3199),
            ..reading()
        };
        assert_eq!(hidden.verdict(), Verdict::Unknown);
        let jemalloc_moved = Reading {
            jemalloc_thread: Some(112),
            ..reading()
        };
        assert_eq!(jemalloc_moved.verdict(), Verdict::Unknown);
        let no_glibc = Reading {
            glibc: None,
            ..reading()
        };
        assert_eq!(no_glibc.verdict(), Verdict::Unknown);
    }

    #[test]
    fn a_line_cannot_claim_a_verdict_its_numbers_do_not_give() {
        let forged = reading()
            .to_string()
            .replace("verdict=System", "verdict=Jemalloc");
        let err = forged.parse::<Reading>().unwrap_err();
        assert!(
            err.to_string()
                .contains("says verdict=Jemalloc but its readings give System"),
            "expected the forged verdict to be refused for its readings, saw: {err}"
        );
    }

    #[test]
    fn parse_all_skips_other_lines() {
        let output = format!("probe-system: a header\n{}\n", reading());
        assert_eq!(parse_all(&output), Ok(vec![reading()]));
    }
}
