//! `allocator-try [OPTIONS] -- PROGRAM [ARGS...]`: runs a program under System, jemalloc and
//! mimalloc by preloading them, and compares wall times. See `--help`.

use std::path::PathBuf;
use std::process::ExitCode;

use allocator_try::Allocator;

const HELP: &str = "\
allocator-try: run a program under System, jemalloc and mimalloc, without rebuilding it

Usage: allocator-try [OPTIONS] -- PROGRAM [ARGS...]

It inspects PROGRAM first (allocator-inspect) and refuses when a preloaded malloc
cannot serve it: a static executable, a setuid one, one that defines malloc, a Rust
program whose #[global_allocator] is jemalloc or mimalloc. Then it runs PROGRAM in
fresh processes, in rounds, each allocator once per round in a shuffled order, with
jemalloc or mimalloc preloaded (LD_PRELOAD). The preload libraries are built from
crates in this repository; each writes, at the process's exit, how many allocations
it served, to a descriptor the runner opens. A run without that evidence is refused.

Options:
  --rounds N            rounds to run (default 10)
  --only NAME           compare System with jemalloc or mimalloc only
  --jemalloc-lib PATH   the preload library (default: the release build of
                        tools/allocator-try/preload-jemalloc in target/release)
  --mimalloc-lib PATH   the same for tools/allocator-try/preload-mimalloc
  --samples FILE        also write every run as CSV
  --svg FILE            also plot each run's time, per allocator, as SVG
  --json                print the results as one line of JSON instead of text

Exit status: 0 results reported; 1 refused (the message says why); 2 the command
line was wrong.
";

struct Options {
    rounds: usize,
    only: Option<Allocator>,
    jemalloc: PathBuf,
    mimalloc: PathBuf,
    samples: Option<PathBuf>,
    svg: Option<PathBuf>,
    json: bool,
    command: Vec<String>,
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut options = Options {
        rounds: 10,
        only: None,
        jemalloc: Allocator::Jemalloc.default_library().unwrap_or_default(),
        mimalloc: Allocator::Mimalloc.default_library().unwrap_or_default(),
        samples: None,
        svg: None,
        json: false,
        command: Vec::new(),
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value; see allocator-try --help"))
        };
        match arg.as_str() {
            "--" => {
                options.command = args.collect();
                break;
            }
            "--rounds" => {
                options.rounds = value("--rounds")?
                    .parse()
                    .ok()
                    .filter(|n| *n >= 2)
                    .ok_or("--rounds needs a whole number of at least 2")?;
            }
            "--only" => {
                let name = value("--only")?;
                options.only = match Allocator::from_name(&name) {
                    Some(a) if a != Allocator::System => Some(a),
                    _ => return Err(format!("--only {name}: give jemalloc or mimalloc")),
                };
            }
            "--jemalloc-lib" => options.jemalloc = value("--jemalloc-lib")?.into(),
            "--mimalloc-lib" => options.mimalloc = value("--mimalloc-lib")?.into(),
            "--samples" => options.samples = Some(value("--samples")?.into()),
            "--svg" => options.svg = Some(value("--svg")?.into()),
            "--json" => options.json = true,
            other => {
                return Err(format!(
                    "unknown option {other}; put the program after --, see allocator-try --help"
                ));
            }
        }
    }
    if options.command.is_empty() {
        return Err("no program given; usage: allocator-try [OPTIONS] -- PROGRAM [ARGS...]".into());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--help" || a == "-h") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let options = match parse(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("allocator-try: error: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("allocator-try: error: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(unix)]
fn run(options: &Options) -> Result<(), String> {
    use allocator_inspect::json_string;
    use allocator_try::{
        build_command, check_target, progress, report, resolve, rng::Rng, rows_json, run_once,
    };

    let program = resolve(&options.command[0]).map_err(|r| r.to_string())?;
    let (inspection, warning) = check_target(&program).map_err(|r| r.to_string())?;
    let mut allocators = vec![Allocator::System];
    allocators.extend(match options.only {
        Some(one) => vec![one],
        None => vec![Allocator::Jemalloc, Allocator::Mimalloc],
    });
    let library = |allocator: Allocator| match allocator {
        Allocator::Jemalloc => options.jemalloc.clone(),
        Allocator::Mimalloc => options.mimalloc.clone(),
        Allocator::System => PathBuf::new(),
    };
    for &allocator in &allocators[1..] {
        let path = library(allocator);
        if !path.is_file() {
            return Err(format!(
                "{}: no such file; build it with `{}`, or give --{allocator}-lib PATH",
                path.display(),
                build_command(allocator)
            ));
        }
    }
    if !options.json {
        println!("program: {}", program.display());
        println!("verdict: {}", inspection.verdict);
    }
    if let Some(warning) = warning {
        // With --json, stdout holds the JSON only.
        if options.json {
            eprintln!("{warning}");
        } else {
            println!("{warning}");
        }
    }
    let scratch = std::env::temp_dir().join(format!("allocator-try-{}.stderr", std::process::id()));
    let mut samples = Vec::new();
    let mut rng = Rng::new(allocator_try::SEED);
    let mut order = allocators.clone();
    let runs = options.rounds * allocators.len();
    for round in 0..options.rounds {
        rng.shuffle(&mut order);
        for &allocator in &order {
            eprint!("\r{}", progress(samples.len(), runs));
            let args = &options.command[1..];
            let sample = run_once(
                &program,
                args,
                allocator,
                &library(allocator),
                round,
                &scratch,
            );
            samples.push(sample.map_err(|err| {
                eprintln!();
                let _ = std::fs::remove_file(&scratch);
                err.to_string()
            })?);
        }
    }
    eprintln!("\r{}", progress(runs, runs));
    let _ = std::fs::remove_file(&scratch);
    if let Some(path) = &options.svg {
        std::fs::write(path, allocator_try::plot::svg(&samples))
            .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    }
    if let Some(path) = &options.samples {
        std::fs::write(path, allocator_try::to_csv(&samples))
            .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    }
    if options.json {
        println!(
            "{{\"program\":{},\"verdict\":{},\"rounds\":{},\"allocators\":{}}}",
            json_string(&program.to_string_lossy()),
            json_string(&inspection.verdict.to_string()),
            options.rounds,
            rows_json(&samples)
        );
        return Ok(());
    }
    println!(
        "rounds:  {} (allocators shuffled in each); every preloaded run proved its allocator",
        options.rounds
    );
    print!("{}", report(&samples));
    Ok(())
}

#[cfg(not(unix))]
fn run(_: &Options) -> Result<(), String> {
    Err("preloading a malloc (LD_PRELOAD) works on Linux only".into())
}
