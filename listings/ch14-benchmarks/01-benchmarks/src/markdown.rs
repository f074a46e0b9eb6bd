//! Text as the generated Markdown tables (and the plots' labels) write it: escaped
//! cells, code spans, durations and sizes in the unit that reads best.

/// A duration in nanoseconds, in the unit that reads best.
pub fn human_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

/// How long after the free a reading was taken, as the tables and plots say it.
pub fn after_label(after_ms: u64) -> String {
    match after_ms {
        0..50 => "at once".to_owned(),
        50..950 => format!("{after_ms} ms later"),
        _ => format!("{:.0} s later", after_ms as f64 / 1000.0),
    }
}

/// Bytes in MiB, one decimal.
pub fn mebibytes(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
}

/// `text` as Markdown that renders exactly as `text`, also inside a table cell: HTML's
/// special characters become entities (so `Vec<u8>` is not read as a tag), and
/// Markdown's punctuation and the cell separator `|` are escaped with a backslash.
pub fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// `text` as a Markdown code span that a table cell can hold: a run of backticks longer
/// than any in `text` delimits it, and `|` is escaped (a table splits cells on it even
/// inside code).
pub fn md_code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_their_unit() {
        assert_eq!(human_ns(12.34), "12.3 ns");
        assert_eq!(human_ns(4_560.0), "4.56 µs");
        assert_eq!(human_ns(7_890_000.0), "7.89 ms");
    }

    #[test]
    fn table_cells_escape_what_markdown_or_html_would_read() {
        assert_eq!(md_text("Vec<u8> grown"), "Vec&lt;u8&gt; grown");
        assert_eq!(md_text("a | b & c"), "a \\| b &amp; c");
        assert_eq!(
            md_text("Vec::with_capacity(*n*) [x]"),
            "Vec::with\\_capacity(\\*n\\*) \\[x\\]"
        );
        assert_eq!(md_code("vec-push-4KiB"), "`vec-push-4KiB`");
        assert_eq!(md_code("a`b|c"), "``a`b\\|c``");
        assert_eq!(md_code("`x"), "`` `x ``");
    }
}
