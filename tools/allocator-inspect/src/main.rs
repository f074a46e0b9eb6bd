//! `allocator-inspect FILE...`: which allocator each ELF artifact carries. See `--help`.

use std::process::ExitCode;

// ANCHOR: help
const HELP: &str = "\
allocator-inspect: which allocator an ELF artifact carries, and whether to dlopen it

Usage: allocator-inspect [--json] FILE...

FILE is an executable, a shared library (.so), a static archive (.a) or an .rlib,
for Linux (64-bit ELF). For each file it prints a verdict line, then the evidence:
the symbols and ELF flags the verdict is drawn from.

  Rust:   who serves Rust's allocations: System (default), jemalloc, mimalloc,
          System or custom, chosen at link (an .rlib), in the Rust dylib it links,
          none, unknown (stripped)
  malloc: who serves C's malloc: imported (the C library's), jemalloc (unprefixed),
          mimalloc (override), musl or glibc (linked in), other (defined), unused
  dlopen: for a shared library: safe, risky or fails (static TLS, chapter 11)

With --json it prints one line of JSON per file instead, with the same words.

Exit status: 0 every file was inspected; 1 a file could not be (the error says
why); 2 the command line was wrong.
";
// ANCHOR_END: help

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|arg| arg == "--help" || arg == "-h") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let json = args.iter().any(|arg| arg == "--json");
    let args: Vec<String> = args.into_iter().filter(|arg| arg != "--json").collect();
    if args.is_empty() {
        eprintln!("allocator-inspect: error: no file given; usage: allocator-inspect FILE...");
        return ExitCode::from(2);
    }
    if let Some(option) = args.iter().find(|arg| arg.starts_with('-')) {
        eprintln!(
            "allocator-inspect: error: unknown option {option}; see allocator-inspect --help"
        );
        return ExitCode::from(2);
    }
    let mut status = ExitCode::SUCCESS;
    for (index, path) in args.iter().enumerate() {
        if index > 0 && !json {
            println!();
        }
        match allocator_inspect::inspect(path) {
            Ok(inspection) if json => println!("{}", inspection.to_json()),
            Ok(inspection) => print!("{inspection}"),
            Err(err) => {
                eprintln!("allocator-inspect: error: {err}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
