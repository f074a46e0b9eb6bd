//! Prints which allocator symbols an artifact carries: `probe-symbols <path>...`.

use std::process::ExitCode;

use ch03_probe::symbols::telling_table;

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: probe-symbols <executable, library or archive>...");
        return ExitCode::from(2);
    }
    for path in &paths {
        match telling_table(path) {
            Ok(table) => print!("{table}"),
            Err(err) => {
                eprintln!("probe-symbols: {err}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
