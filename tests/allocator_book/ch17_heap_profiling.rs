//! Chapter 17: jemalloc's heap profiler. The listing (`listings/ch17-heap-profiling/01-heap-profiling`, a separate
//! workspace: its jemalloc is built with `--enable-prof`) keeps a known amount from two named
//! functions and dumps a profile; `jeprof --text`, generated from the `jeprof.in` that
//! tikv-jemalloc-sys vendors, must charge each function about what it keeps.
//!
//! The profiling build is a jemalloc configuration of its own (a few CPU-minutes cold), and jeprof
//! is a Perl program: these tests run in the README's second command.
// Linux with glibc only: jeprof reads the profile's /proc/self/maps copy and the binary's ELF symbols.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use book_harness::recorded::{Recording, check_transcript};
use book_harness::separate_workspace::SeparateWorkspace;
use book_harness::{repo, tools};

const LISTING: &str = "listings/ch17-heap-profiling/01-heap-profiling";

/// How far a function's charge may be from what it keeps, as a fraction. jemalloc samples one
/// allocation per 2^14 bytes on average (`lg_prof_sample:14`, baked into the listing) and jeprof
/// scales each sample back up. `build_index` keeps 16,384 blocks of 1 KiB, each sampled with
/// probability 1 - e^(-1024/16384), about 6%: about 1,000 samples, so its charge has a relative
/// standard error of about 3%. 15% is five of those. The 64 KiB blocks of `fill_cache` are sampled
/// 98% of the time: their charge is within 1%.
const TOLERANCE: f64 = 0.15;

/// Builds the listing and returns its binary.
fn profiled_binary() -> PathBuf {
    let workspace = SeparateWorkspace::at(LISTING);
    workspace.cargo(&["build", "--bins"]).assert_success();
    workspace.target_dir().join("debug/ch17-heap-profiling")
}

/// A scratch directory for this test's profiles.
fn scratch(test: &str) -> PathBuf {
    let dir = repo::target_dir()
        .join("tmp/ch17-heap-profiling")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|err| panic!("cannot create {}: {err}", dir.display()));
    dir
}

/// `jeprof`, generated once per test process (the tests run in parallel and must not rewrite it
/// while another runs it).
fn jeprof() -> PathBuf {
    static JEPROF: OnceLock<PathBuf> = OnceLock::new();
    JEPROF.get_or_init(generate_jeprof).clone()
}

/// Generates `jeprof` from the `jeprof.in` of the tikv-jemalloc-sys that the listing's lock file
/// pins: the one substitution its `configure` makes is jemalloc's version.
fn generate_jeprof() -> PathBuf {
    let output = Command::new(repo::cargo())
        .args([
            "metadata",
            "--locked",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(repo::root().join(LISTING).join("Cargo.toml"))
        .output()
        .unwrap_or_else(|err| panic!("cannot run cargo metadata: {err}"));
    assert!(
        output.status.success(),
        "cargo metadata failed for {LISTING}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let sys = metadata["packages"]
        .as_array()
        .and_then(|packages| {
            packages
                .iter()
                .find(|package| package["name"] == "tikv-jemalloc-sys")
        })
        .unwrap_or_else(|| panic!("{LISTING} does not depend on tikv-jemalloc-sys"));
    let manifest = Path::new(sys["manifest_path"].as_str().expect("a manifest path"));
    let version = sys["version"].as_str().expect("a version");
    // `0.7.1+5.3.1-0-g81034ce...`: the build metadata after `+` is jemalloc's version.
    let jemalloc_version = version.split_once('+').map_or(version, |(_, v)| v);
    let source = manifest.with_file_name("jemalloc/bin/jeprof.in");
    let template = std::fs::read_to_string(&source)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", source.display()));
    let generated = repo::target_dir().join("tmp/ch17-heap-profiling/jeprof");
    std::fs::create_dir_all(generated.parent().expect("a parent")).expect("a writable target");
    std::fs::write(
        &generated,
        template.replace("@jemalloc_version@", jemalloc_version),
    )
    .unwrap_or_else(|err| panic!("cannot write {}: {err}", generated.display()));
    generated
}

/// jeprof's tools: Perl, and binutils' objdump, nm, addr2line and c++filt to read the binary.
fn require_jeprof_tools() -> PathBuf {
    for tool in ["objdump", "nm", "addr2line", "c++filt"] {
        tools::require(tool, "binutils");
    }
    tools::require("perl", "perl")
}

/// Runs the listing, which dumps a profile to `profile`; returns what it prints.
fn run_listing(binary: &Path, profile: &Path, conf: Option<&str>) -> String {
    let mut command = Command::new(binary);
    command.arg(profile).env_remove("_RJEM_MALLOC_CONF");
    if let Some(conf) = conf {
        command.env("_RJEM_MALLOC_CONF", conf);
    }
    let output = command
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", binary.display()));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "the listing ended with {}:\n{stdout}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// What the listing says `function` keeps: its line `<function> keeps N bytes`.
fn kept(stdout: &str, function: &str) -> u64 {
    let prefix = format!("{function} keeps ");
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .and_then(|rest| rest.strip_suffix(" bytes"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the listing printed no `{prefix}N bytes` line:\n{stdout}"))
}

/// `jeprof --text --show_bytes <binary> <profile>`'s output.
fn jeprof_text(perl: &Path, binary: &Path, profile: &Path) -> String {
    let output = Command::new(perl)
        .arg(jeprof())
        .args(["--text", "--show_bytes"])
        .arg(binary)
        .arg(profile)
        .output()
        .unwrap_or_else(|err| panic!("cannot run jeprof: {err}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "jeprof ended with {}:\n{stdout}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The cumulative bytes (`cum`, the fourth column) jeprof charges to a function whose name ends
/// with `::<function>`, or None when it charges it nothing.
fn charged(text: &str, function: &str) -> Option<u64> {
    let suffix = format!("::{function}");
    text.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() == 6 && fields[5].ends_with(&suffix) {
            fields[3].parse().ok()
        } else {
            None
        }
    })
}

#[test]
#[ignore = "needs perl (Debian package perl): the second test command runs it"]
fn jeprof_charges_each_function_what_it_keeps() {
    let perl = require_jeprof_tools();
    let binary = profiled_binary();
    let profile = scratch("charges").join("listing.heap");
    let stdout = run_listing(&binary, &profile, None);
    let text = jeprof_text(&perl, &binary, &profile);
    for function in ["fill_cache", "build_index"] {
        let kept = kept(&stdout, function);
        let charged = charged(&text, function).unwrap_or_else(|| {
            panic!("jeprof charged nothing to {function}, which keeps {kept} bytes:\n{text}")
        });
        let error = (charged as f64 - kept as f64).abs() / kept as f64;
        assert!(
            error <= TOLERANCE,
            "jeprof charged {function} {charged} bytes; it keeps {kept}, so expected within {:.0}%, \
             saw {:.1}% off:\n{text}",
            TOLERANCE * 100.0,
            error * 100.0
        );
    }
}

#[test]
#[ignore = "needs perl (Debian package perl): the second test command runs it"]
fn prof_active_false_in_the_environment_samples_nothing() {
    let perl = require_jeprof_tools();
    let binary = profiled_binary();
    let profile = scratch("inactive").join("listing.heap");
    // The environment is read after the baked-in `_rjem_malloc_conf`, so it wins.
    let stdout = run_listing(&binary, &profile, Some("prof_active:false"));
    let text = jeprof_text(&perl, &binary, &profile);
    for function in ["fill_cache", "build_index"] {
        assert_eq!(
            charged(&text, function),
            None,
            "with prof_active:false jeprof should charge {function} nothing (it keeps {} bytes, \
             none sampled):\n{text}",
            kept(&stdout, function)
        );
    }
}

#[test]
#[ignore = "needs perl (Debian package perl): the second test command runs it"]
fn the_profile_and_its_report_are_recorded() {
    let perl = require_jeprof_tools();
    let binary = profiled_binary();
    let dir = scratch("recorded");
    Recording::new(&binary, "cargo run -q -- p.heap")
        .hidden_arg(dir.join("p.heap"))
        .env_remove("_RJEM_MALLOC_CONF")
        .check(format!("{LISTING}/recorded/run.txt"));
    let text = jeprof_text(&perl, &binary, &dir.join("p.heap"));
    // Sampling moves every number a little from run to run: the recording keeps the shape of the
    // report (its columns, the listing's own functions, the frame that takes every `flat` byte)
    // and replaces each number but zero.
    let mut ours: Vec<String> = text
        .lines()
        .filter(|line| line.contains("profiling::") || line.contains("backtrace"))
        .map(|line| {
            line.split_whitespace()
                .map(|field| match field {
                    "0" | "0.0%" => field,
                    _ if field.trim_end_matches('%').parse::<f64>().is_err() => field,
                    _ if field.ends_with('%') => "<pct>",
                    _ => "<bytes>",
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    ours.sort();
    check_transcript(
        format!("{LISTING}/recorded/jeprof-text.txt"),
        &format!(
            "$ jeprof --text --show_bytes $exe p.heap \
             | grep -e profiling:: -e backtrace\n{}\n",
            ours.join("\n")
        ),
    );
}

#[test]
#[ignore = "needs perl (Debian package perl): the second test command runs it"]
fn prof_final_dumps_a_profile_at_exit() {
    let perl = require_jeprof_tools();
    let binary = profiled_binary();
    let dir = scratch("final");
    let prefix = dir.join("final");
    let conf = format!("prof_final:true,prof_prefix:{}", prefix.display());
    run_listing(&binary, &dir.join("p.heap"), Some(&conf));
    // jemalloc names it <prefix>.<pid>.<seq>.f.heap.
    let dumped: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("final.") && name.ends_with(".f.heap"))
        })
        .collect();
    let [at_exit] = dumped.as_slice() else {
        panic!(
            "expected one final.<pid>.<seq>.f.heap in {}, found {dumped:?}",
            dir.display()
        );
    };
    // At exit the listing has dropped what it kept: the final profile charges it nothing.
    let text = jeprof_text(&perl, &binary, at_exit);
    assert_eq!(
        charged(&text, "fill_cache"),
        None,
        "the profile written at exit should charge fill_cache nothing, since main dropped its \
         blocks:\n{text}"
    );
}

/// Rounds of the listing's `churn`, whose blocks average 544 bytes.
const CHURN_ROUNDS: u64 = 2_000_000;
const CHURN_AVERAGE_BLOCK: u64 = 544;

/// The wall time of one run of `churn` under `conf`, in seconds.
fn time_churn(binary: &Path, conf: &str) -> f64 {
    let start = std::time::Instant::now();
    let status = Command::new(binary)
        .args(["--churn", &CHURN_ROUNDS.to_string()])
        .env("_RJEM_MALLOC_CONF", conf)
        .status()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", binary.display()));
    assert!(status.success(), "--churn under {conf} ended with {status}");
    start.elapsed().as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[test]
#[ignore = "needs perl (Debian package perl): the second test command runs it"]
fn timing_sampling_every_16_kib_costs_more_than_a_profiler_switched_off() {
    let perl = require_jeprof_tools();
    let binary = profiled_binary();
    // First, that the active configuration does profile the timed code: with `prof_accum:true` a
    // profile counts every sampled byte ever allocated, and `--alloc_space` reads that count.
    let profile = scratch("cost").join("churn.heap");
    let output = Command::new(&binary)
        .args(["--churn", &CHURN_ROUNDS.to_string()])
        .arg(&profile)
        .env("_RJEM_MALLOC_CONF", "prof_accum:true")
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", binary.display()));
    assert!(
        output.status.success(),
        "--churn with a profile ended with {}",
        output.status
    );
    let output = Command::new(&perl)
        .arg(jeprof())
        .args(["--text", "--show_bytes", "--alloc_space"])
        .arg(&binary)
        .arg(&profile)
        .output()
        .unwrap_or_else(|err| panic!("cannot run jeprof: {err}"));
    let text = String::from_utf8_lossy(&output.stdout);
    let allocated = CHURN_ROUNDS * CHURN_AVERAGE_BLOCK;
    let charged = charged(&text, "churn").unwrap_or_else(|| {
        panic!("jeprof charged churn nothing of its {allocated} bytes:\n{text}")
    });
    let error = (charged as f64 - allocated as f64).abs() / allocated as f64;
    assert!(
        error <= TOLERANCE,
        "jeprof --alloc_space charged churn {charged} bytes; it allocated {allocated}:\n{text}"
    );

    // Then the cost: the same binary under four configurations, in interleaved rounds.
    let confs = [
        "prof:false",
        "prof:true,prof_active:false",
        "prof:true,lg_prof_sample:19",
        "prof:true,lg_prof_sample:14",
    ];
    let mut last = String::new();
    for _attempt in 0..3 {
        let mut times = vec![Vec::new(); confs.len()];
        for _round in 0..5 {
            for (conf, times) in confs.iter().zip(&mut times) {
                times.push(time_churn(&binary, conf));
            }
        }
        let medians: Vec<f64> = times.into_iter().map(median).collect();
        last = confs
            .iter()
            .zip(&medians)
            .map(|(conf, t)| format!("{conf}: {t:.3} s, {:.2}x", t / medians[0]))
            .collect::<Vec<_>>()
            .join("\n");
        println!("{last}\n");
        if medians[3] / medians[0] > 1.5 {
            return;
        }
    }
    panic!(
        "expected sampling every 16 KiB to make the churn at least 1.5 times slower than with \
         the profiler off, in one of three interleaved runs; the last:\n{last}"
    );
}
