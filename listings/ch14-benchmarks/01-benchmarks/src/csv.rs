//! The CSV files of the results: one header line, then fields separated by commas, a
//! field in double quotes when it may hold a comma (`""` inside quotes is a quote).
//! Reading and writing.

use std::path::Path;

use crate::Allocator;

/// `value` as one quoted CSV field.
pub fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('"', "\"\""))
}

/// Splits one CSV line whose fields may be double-quoted (`""` inside quotes is a
/// quote).
fn split_csv(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The rows of `dir/file` after its header line, each split into its fields.
pub fn rows(dir: &Path, file: &str) -> Result<Vec<Vec<String>>, String> {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).map_err(|err| {
        format!("cannot read {}: {err}; run the suite first", path.display())
    })?;
    Ok(text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(split_csv)
        .collect())
}

/// `value` read as a `T`, or an error naming `file`.
pub fn parse<T: std::str::FromStr>(value: &str, file: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{file}: cannot read {value:?}"))
}

/// The allocator called `name`, or an error naming `file`.
pub fn allocator(name: &str, file: &str) -> Result<Allocator, String> {
    Allocator::from_name(name).ok_or_else(|| format!("{file}: no allocator {name:?}"))
}

/// Writes `text` to `path`, creating its directory.
pub fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    }
    std::fs::write(path, text)
        .map_err(|err| format!("cannot write {}: {err}", path.display()))
}

/// The environment record as `environment.csv`: a `key,value` header, then one row per entry.
pub fn environment_csv(record: &crate::environment::Record) -> String {
    let mut text = String::from("key,value\n");
    for (key, value) in record {
        text.push_str(&format!("{key},{}\n", quote(value)));
    }
    text
}

/// Reads back the `environment.csv` that [`environment_csv`] wrote into `dir`.
pub fn read_environment(dir: &Path) -> Result<crate::environment::Record, String> {
    Ok(rows(dir, "environment.csv")?
        .into_iter()
        .map(|row| (row[0].clone(), row.get(1).cloned().unwrap_or_default()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_may_be_quoted() {
        assert_eq!(
            split_csv(r#"cpu,"Intel, 2 cores ""x""""#),
            ["cpu", r#"Intel, 2 cores "x""#]
        );
        assert_eq!(
            split_csv("1,pairs,system,12.5"),
            ["1", "pairs", "system", "12.5"]
        );
        assert_eq!(split_csv(&quote(r#"a "b", c"#)), [r#"a "b", c"#]);
    }
}
