//! The worker's output: lines of `key=value` pairs after a word that names the line
//! (`result`, `evidence`, `rss`, `mem`, `arenas`), which the runner and the tests read
//! back.

use std::collections::BTreeMap;

/// `key=value` pairs separated by spaces.
pub fn fields(line: &str) -> BTreeMap<&str, &str> {
    line.split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_the_key_value_pairs() {
        let line = fields("ns_per_op=12.5 ops=3 stray served_by=glibc");
        assert_eq!(
            line.into_iter().collect::<Vec<_>>(),
            [("ns_per_op", "12.5"), ("ops", "3"), ("served_by", "glibc")]
        );
    }
}
