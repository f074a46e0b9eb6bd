//! What one measurement saw, the verdict it supports, and the two-line text form that binaries
//! print for people and tests parse back.

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
}

// ANCHOR: verdict
impl Reading {
    /// The allocator the readings point to. Each side must show the batch and the
    /// other side must show nothing: glibc grew by at least half the request (its
    /// per-thread cache can hide up to 7 blocks of a batch) and by less than one block
    /// otherwise; jemalloc's thread counter grew by at least the whole request and it
    /// owns the first block, or grew by nothing and does not.
    ///
    /// No example: chapter 3 shows this function; [`Verdict`]'s examples run it.
    pub fn verdict(&self) -> Verdict {
        let glibc_served = self
            .glibc
            .is_some_and(|grew| grew >= (self.requested() / 2) as i64);
        let glibc_silent = self.glibc.is_none_or(|grew| grew < self.size as i64);
        let jemalloc_served = self
            .jemalloc_thread
            .is_some_and(|grew| grew >= self.requested())
            && self.jemalloc_owns == Some(true);
        let jemalloc_still = self.jemalloc_thread.is_none_or(|grew| grew == 0);
        let jemalloc_silent = jemalloc_still && self.jemalloc_owns != Some(true);
        match (glibc_served, jemalloc_served) {
            (true, false) if jemalloc_silent => Verdict::System,
            (false, true) if glibc_silent => Verdict::Jemalloc,
            _ => Verdict::Unknown,
        }
    }
}
// ANCHOR_END: verdict

fn show<T: fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |v| v.to_string())
}

/// The columns of a reading for people: `(key, width)` on each of its two lines. A column is
/// `key=value` padded to its width, so that readings printed one under the other line up; a
/// value too wide for its column pushes the rest right by two spaces. The widest values the
/// probe measures (64 blocks of 1 MiB) keep each line within 88 characters. `jemalloc_stats`
/// comes last: recordings replace its number with `<moved>` (book_harness::normalise).
const FIRST_LINE: [(&str, usize); 5] = [
    ("verdict", 18),
    ("size", 14),
    ("count", 10),
    ("requested", 20),
    ("counted", 0),
];
const SECOND_LINE: [(&str, usize); 4] = [
    ("glibc", 17),
    ("jemalloc_thread", 26),
    ("jemalloc_owns", 19),
    ("jemalloc_stats", 0),
];
/// What the second line starts with, so that it reads as part of the first.
const INDENT: &str = "  ";

/// Appends `key=value` cells to `out`, each padded to its column's width.
fn columns(out: &mut String, cells: &[(&str, usize)], value: impl Fn(&str) -> String) {
    for (key, width) in cells {
        let start = out.len();
        out.push_str(key);
        out.push('=');
        out.push_str(&value(key));
        let used = out.len() - start;
        if *width > 0 {
            let pad = if used + 2 <= *width { width - used } else { 2 };
            out.extend(std::iter::repeat_n(' ', pad));
        }
    }
}

impl Reading {
    /// The value printed after `key=`.
    fn shown(&self, key: &str) -> String {
        match key {
            "verdict" => self.verdict().to_string(),
            "size" => self.size.to_string(),
            "count" => self.count.to_string(),
            "requested" => self.requested().to_string(),
            "counted" => show(self.counted),
            "glibc" => show(self.glibc),
            "jemalloc_thread" => show(self.jemalloc_thread),
            "jemalloc_owns" => show(
                self.jemalloc_owns
                    .map(|owns| if owns { "yes" } else { "no" }),
            ),
            "jemalloc_stats" => show(self.jemalloc_stats),
            other => unreachable!("no column {other}"),
        }
    }
}

impl fmt::Display for Reading {
    /// Two lines: the verdict first, with the batch it is about, then each allocator's counters,
    /// in columns that line up from one reading to the next:
    ///
    /// ```text
    /// verdict=System    size=100      count=64  requested=6400      counted=6400
    ///   glibc=7168       jemalloc_thread=0         jemalloc_owns=no   jemalloc_stats=0
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        columns(&mut text, &FIRST_LINE, |key| self.shown(key));
        text.push('\n');
        text.push_str(INDENT);
        columns(&mut text, &SECOND_LINE, |key| self.shown(key));
        f.write_str(&text)
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

    /// Parses the text [`Display`](fmt::Display) writes: `key=value` pairs, in any order and
    /// over any number of lines. The printed verdict must be the one the readings give, so a
    /// reading cannot claim a verdict its numbers do not support.
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

/// Parses every reading in a program's output: a line that starts with `verdict=`, and the
/// line under it when that one starts with `glibc=` (leading spaces aside). Other lines are
/// skipped; a reading whose second line is missing is an error.
///
/// ```
/// use ch03_probe::{Probe, reading::parse_all};
///
/// let reading = Probe::new().measure(100);
/// let output = format!("a header line\n{reading}\n");
/// assert_eq!(parse_all(&output), Ok(vec![reading]));
/// ```
pub fn parse_all(output: &str) -> Result<Vec<Reading>, ParseError> {
    let mut readings = Vec::new();
    let mut lines = output.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        if !line.starts_with("verdict=") {
            continue;
        }
        let second = lines
            .next_if(|next| next.starts_with("glibc="))
            .ok_or_else(|| {
                ParseError(format!(
                    "the reading `{line}` has no second line starting with `glibc=` under it"
                ))
            })?;
        readings.push(format!("{line}\n{second}").parse()?);
    }
    Ok(readings)
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
        let text = reading().to_string();
        assert_eq!(
            text,
            "verdict=System    size=100      count=64  requested=6400      counted=6400\n  \
             glibc=7168       jemalloc_thread=0         jemalloc_owns=no   jemalloc_stats=0"
        );
        assert_eq!(text.parse::<Reading>(), Ok(reading()));
    }

    /// The widest reading the book prints: 64 blocks of 1 MiB, every counter moved by the
    /// whole batch, glibc's backwards.
    fn widest() -> Reading {
        Reading {
            size: 1 << 20,
            count: 64,
            counted: Some(64 << 20),
            glibc: Some(-67_371_008),
            jemalloc_thread: Some(67_108_864),
            jemalloc_stats: Some(-67_108_864),
            jemalloc_owns: Some(true),
        }
    }

    #[test]
    fn the_verdict_comes_first_and_every_line_fits_the_page() {
        for r in [reading(), widest()] {
            let text = r.to_string();
            assert!(
                text.starts_with(&format!("verdict={} ", r.verdict())),
                "expected the verdict first, saw:\n{text}"
            );
            for line in text.lines() {
                assert!(
                    line.chars().count() <= 88,
                    "expected lines of at most 88 characters, saw {}:\n{line}",
                    line.chars().count()
                );
            }
        }
    }

    #[test]
    fn readings_printed_one_under_the_other_line_up() {
        let (small, large) = (reading().to_string(), widest().to_string());
        for key in ["size=", "count=", "requested=", "counted="] {
            let first = |text: &str| text.lines().next().and_then(|line| line.find(key));
            assert_eq!(first(&small), first(&large), "the column {key}");
        }
        for key in ["jemalloc_thread=", "jemalloc_owns=", "jemalloc_stats="] {
            let second = |text: &str| text.lines().nth(1).and_then(|line| line.find(key));
            assert_eq!(second(&small), second(&large), "the column {key}");
        }
    }

    #[test]
    fn parse_all_reads_both_lines_of_each_reading_and_skips_other_lines() {
        let output = format!(
            "probe-system: a header\n{}\nsome text between\n{}\n",
            reading(),
            widest()
        );
        assert_eq!(parse_all(&output), Ok(vec![reading(), widest()]));
        let indented = output
            .lines()
            .map(|line| format!("    {line}"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(parse_all(&indented), Ok(vec![reading(), widest()]));
    }

    #[test]
    fn a_reading_without_its_counters_is_refused() {
        let first_line_only = reading()
            .to_string()
            .lines()
            .next()
            .unwrap_or("")
            .to_owned();
        let err = parse_all(&format!("{first_line_only}\nsomething else\n")).unwrap_err();
        assert!(
            err.to_string()
                .contains("no second line starting with `glibc=`"),
            "expected the missing counters to be named, saw: {err}"
        );
        let one_counter_gone = reading().to_string().replace("jemalloc_owns=no", "");
        let err = one_counter_gone.parse::<Reading>().unwrap_err();
        assert!(
            err.to_string().contains("no `jemalloc_owns=`"),
            "expected the missing counter to be named, saw: {err}"
        );
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
}
