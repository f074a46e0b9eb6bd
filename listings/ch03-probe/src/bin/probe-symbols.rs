//! Prints which allocator symbols an artifact carries: `probe-symbols <path>...`.

use std::process::ExitCode;

use ch03_probe::symbols::{ArtifactSymbols, TELLING_SYMBOLS};

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: probe-symbols <executable, library or archive>...");
        return ExitCode::from(2);
    }
    for path in &paths {
        let symbols = match ArtifactSymbols::read(path) {
            Ok(symbols) => symbols,
            Err(err) => {
                eprintln!("probe-symbols: {err}");
                return ExitCode::FAILURE;
            }
        };
        println!("{path}");
        for (name, meaning) in TELLING_SYMBOLS {
            println!(
                "  {name:<13} {:<8}  {meaning}",
                symbols.presence(name).to_string()
            );
        }
    }
    ExitCode::SUCCESS
}
