//! Prints whether each shared library needs room in the static TLS block:
//! `tls-report path/to/library.so...`.

use std::process::ExitCode;

use ch03_probe::tls::ThreadLocalStorage;

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: tls-report path/to/library.so...");
        return ExitCode::from(2);
    }
    for path in &paths {
        match ThreadLocalStorage::read(path) {
            Ok(tls) => println!(
                "{path}\n  STATIC_TLS flag: {}\n  TLS block:       {} bytes",
                if tls.static_tls { "yes" } else { "no" },
                tls.block_size
            ),
            Err(err) => {
                eprintln!("tls-report: {err}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
