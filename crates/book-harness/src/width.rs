//! The width of what the book shows: no line of a code or output block is wider than
//! [`COLUMNS`] characters, the text column at 1280 px. In recordings, command lines are broken
//! with ` \` ([`wrap_commands`]) and the output of tools the book does not control is folded
//! ([`fold_output`]); tools/book-check's width test checks every block of the rendered book.

/// The widest line a code or output block of the book may hold.
///
/// ```
/// assert_eq!(book_harness::width::COLUMNS, 88);
/// ```
pub const COLUMNS: usize = 88;

/// How a continuation line of a broken command starts.
const CONTINUATION: &str = "    ";

/// Options whose value a reader expects on the same line.
const TAKES_A_VALUE: [&str; 10] = [
    "-o",
    "-p",
    "-C",
    "--bin",
    "--manifest-path",
    "--edition",
    "--crate-type",
    "--target",
    "--features",
    "--",
];

/// Breaks every command line of `text` (a line that starts with `$ `) that is wider than
/// [`COLUMNS`] into lines that fit, ending each but the last with ` \`, as a shell reads them.
/// Other lines are left alone.
///
/// ```
/// use book_harness::width::{COLUMNS, wrap_commands};
///
/// let long = format!("$ cargo run -q -p ch04-default --bin ch04-default -- {}\nok\n", "100 ".repeat(12));
/// let wrapped = wrap_commands(&long);
/// assert!(wrapped.lines().all(|line| line.chars().count() <= COLUMNS), "{wrapped}");
/// assert!(wrapped.lines().next().is_some_and(|first| first.ends_with(" \\")), "{wrapped}");
/// assert!(wrapped.ends_with("\nok\n"), "other lines stay: {wrapped}");
/// ```
pub fn wrap_commands(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        if body.starts_with("$ ") && body.chars().count() > COLUMNS && !body.ends_with('\\') {
            out.push_str(&wrap_command(body));
        } else {
            out.push_str(body);
        }
        out.push_str(end);
    }
    out
}

/// Folds every line of `text` wider than [`COLUMNS`] that is not a command line. It is meant
/// for output the book quotes from a tool it does not control (a compiler's diagnostic, the
/// loader's error): the book's own programs print lines that fit. A line breaks after its last
/// `": "` that leaves at least half a line before it, so that a message stays whole, or else at
/// its last space that fits; the rest continues on the next line, indented four spaces past the line's own indentation.
///
/// ```
/// use book_harness::width::{COLUMNS, fold_output};
///
/// let error = format!("dlopen failed: {}: cannot allocate memory in static TLS block", "x".repeat(50));
/// let folded = fold_output(&error);
/// assert!(folded.lines().all(|line| line.chars().count() <= COLUMNS), "{folded}");
/// assert_eq!(folded.replace("\n    ", " "), error, "only a break and an indent are added");
/// ```
pub fn fold_output(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_command = false;
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let command = in_command || body.starts_with("$ ");
        in_command = command && body.ends_with('\\');
        if command {
            out.push_str(body);
        } else {
            out.push_str(&fold_line(body));
        }
        out.push_str(end);
    }
    out
}

/// One line folded as [`fold_output`] says.
fn fold_line(line: &str) -> String {
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let continuation = format!("{indent}{CONTINUATION}");
    let mut lines = Vec::new();
    let mut rest = line.to_owned();
    while rest.chars().count() > COLUMNS {
        // Byte offset of the first character past the column.
        let limit = rest
            .char_indices()
            .nth(COLUMNS)
            .map_or(rest.len(), |(offset, _)| offset);
        let head = &rest[..limit];
        let after_colon = head
            .rmatch_indices(": ")
            .map(|(offset, _)| offset + 1)
            .find(|&offset| offset >= COLUMNS / 2);
        let at_space = head
            .rfind(' ')
            .filter(|&offset| offset > continuation.len());
        let Some(cut) = after_colon.or(at_space) else {
            break;
        };
        let (first, second) = rest.split_at(cut);
        lines.push(first.trim_end().to_owned());
        rest = format!("{continuation}{}", second.trim_start());
    }
    lines.push(rest);
    lines.join("\n")
}

/// Breaks one command line between its words, never inside a word, a quoted string or a
/// `$(...)`, and never between an option such as `-o` or `--bin` and its value. A single word
/// wider than the page stays whole on its own line.
///
/// ```
/// let line = format!("$ gcc -Wall -o target/c-programs/host {}", "listings/a.c ".repeat(8));
/// let wrapped = book_harness::width::wrap_command(line.trim_end());
/// assert!(wrapped.contains("-o target/c-programs/host"), "an option keeps its value: {wrapped}");
/// assert!(wrapped.lines().count() > 1, "{wrapped}");
/// ```
pub fn wrap_command(line: &str) -> String {
    let words = words(line);
    // Join each option that takes a value with the value.
    let mut groups: Vec<String> = Vec::new();
    let mut pending: Option<String> = None;
    for word in words {
        let joined = match pending.take() {
            Some(option) => format!("{option} {word}"),
            None => word,
        };
        if TAKES_A_VALUE.contains(&joined.as_str()) {
            pending = Some(joined);
        } else {
            groups.push(joined);
        }
    }
    groups.extend(pending);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for group in groups {
        if current.is_empty() {
            current = group;
        } else if current.chars().count() + 1 + group.chars().count() + 2 <= COLUMNS {
            current.push(' ');
            current.push_str(&group);
        } else {
            lines.push(std::mem::replace(
                &mut current,
                format!("{CONTINUATION}{group}"),
            ));
        }
    }
    lines.push(current);
    lines.join(" \\\n")
}

/// The words of a command line, split at spaces outside quotes and `$(...)`.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    let mut previous = ' ';
    for c in line.chars() {
        match (quote, c) {
            (Some(open), _) if c == open => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') if previous == '$' => depth += 1,
            (None, ')') if depth > 0 => depth -= 1,
            (None, ' ') if depth == 0 => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                previous = c;
                continue;
            }
            _ => {}
        }
        word.push(c);
        previous = c;
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_command_breaks_between_words_and_keeps_options_with_their_values() {
        let line = "$ gcc -Wall -Wextra -Werror -Icrates/probe-c-api/include \
                    crates/probe-c-api/c/linked_host.c crates/probe-c-api/c/report.c \
                    -o target/c-programs/ch11-linked-host -Ltarget/debug \
                    -lch11_cdylib_in_a_c_host '-Wl,-rpath,$ORIGIN/../debug'";
        let wrapped = wrap_command(line);
        for shown in wrapped.lines() {
            assert!(
                shown.chars().count() <= COLUMNS,
                "expected lines of at most {COLUMNS} characters, saw {}: {shown}",
                shown.chars().count()
            );
        }
        assert!(
            wrapped.contains("-o target/c-programs/ch11-linked-host"),
            "expected `-o` and its value on one line:\n{wrapped}"
        );
        assert_eq!(
            wrapped.replace(" \\\n    ", " "),
            line,
            "expected the same command once the shell joins its lines"
        );
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(lines.len() > 1, "expected a broken line:\n{wrapped}");
        for continued in &lines[..lines.len() - 1] {
            assert!(continued.ends_with(" \\"), "{continued}");
        }
    }

    #[test]
    fn quotes_and_command_substitutions_stay_whole() {
        let words = words("$ LD_LIBRARY_PATH=$(rustc --print target-libdir):a 'b c' \"d e\" f");
        assert_eq!(
            words,
            [
                "$",
                "LD_LIBRARY_PATH=$(rustc --print target-libdir):a",
                "'b c'",
                "\"d e\"",
                "f"
            ]
        );
    }

    #[test]
    fn a_wide_message_folds_after_a_colon_and_keeps_its_words() {
        let line = "target/debug/ch10-rust-dylib: error while loading shared libraries: \
                    libch10_jemalloc_dylib.so: cannot open shared object file: No such file or \
                    directory";
        let folded = fold_output(&format!("{line}\n"));
        assert_eq!(
            folded,
            "target/debug/ch10-rust-dylib: error while loading shared libraries:\n    \
             libch10_jemalloc_dylib.so: cannot open shared object file: No such file or \
             directory\n"
        );
        let indented = format!("  = note: {}\n", "word ".repeat(40));
        let folded = fold_output(&indented);
        assert!(
            folded.lines().all(|l| l.chars().count() <= COLUMNS),
            "{folded}"
        );
        assert!(
            folded.lines().skip(1).all(|l| l.starts_with("      word")),
            "{folded}"
        );
        let first = folded.lines().next().unwrap_or_default();
        assert!(
            first.chars().count() > COLUMNS / 2,
            "expected no break at the colon after `note`, too early in the line: {first:?}"
        );
        assert_eq!(
            folded.split_whitespace().collect::<Vec<_>>(),
            indented.split_whitespace().collect::<Vec<_>>(),
            "expected the same words"
        );
    }

    #[test]
    fn commands_and_narrow_lines_do_not_fold() {
        let text = format!("$ {}\\\n    {}\nshort\n", "a ".repeat(30), "b ".repeat(10));
        assert_eq!(fold_output(&text), text);
        let unbreakable = "x".repeat(COLUMNS + 5);
        assert_eq!(fold_output(&unbreakable), unbreakable);
    }

    #[test]
    fn only_wide_command_lines_change() {
        let wide_output = "x".repeat(COLUMNS + 10);
        let text = format!("$ short command\n{wide_output}\n");
        assert_eq!(wrap_commands(&text), text);
        let wide_command = format!(
            "$ cargo run -q -p a --bin b -- {}\nout\n",
            "arg ".repeat(30)
        );
        let wrapped = wrap_commands(&wide_command);
        assert!(wrapped.ends_with("\nout\n"), "{wrapped}");
        assert!(
            wrapped.lines().all(|line| line.chars().count() <= COLUMNS),
            "{wrapped}"
        );
    }
}
