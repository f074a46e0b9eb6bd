//! The main function of the worker binaries `bench-system`, `bench-jemalloc` and
//! `bench-mimalloc`. They differ only in their `#[global_allocator]`; each runs one job
//! and prints `key=value` lines that the runner (and the tests) parse:
//!
//! ```text
//! bench-<allocator> prove                       # the evidence line only
//! bench-<allocator> run <workload> <reps>       # result line (time, page faults),
//! evidence line bench-<allocator> rss <mebibytes> <s,s,...>   # one rss line per
//! reading, then evidence line bench-<allocator> rss-frees <mebibytes> <s> <frees>  #
//! idle, then frees only; rss lines bench-<allocator> handover <batch> <reps>     #
//! producer-consumer-2t, <batch> blocks a message bench-<allocator> service <threads>
//! <cycles> <MiB> <idle s> <after>  # mem lines, arenas line
//! ```
//!
//! Every job ends with the [`Evidence`] of which allocator served this process,
//! measured after the timed part so it cannot disturb it.

use std::process::ExitCode;
use std::time::Duration;

use crate::Allocator;
use crate::counters::{context_switches, minor_faults};
use crate::evidence::Evidence;
use crate::workloads::{self, Runner, rss, service};

const USAGE: &str = "usage: bench-<allocator> prove | run <workload> <reps> | rss <mebibytes> <seconds,...> \
     | rss-frees <mebibytes> <seconds> <frees> \
     | handover <batch> <reps> | service <threads> <cycles> <mebibytes per burst> <idle seconds> <after-burst action>";

/// Runs the job the command line names, in a process whose global allocator is
/// `allocator`.
pub fn main(allocator: Allocator) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(allocator, &args) {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            println!("{}", Evidence::measure());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("bench-{}: {err}\n{USAGE}", allocator.name());
            ExitCode::from(2)
        }
    }
}

fn run(allocator: Allocator, args: &[String]) -> Result<Vec<String>, String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["prove"] => Ok(Vec::new()),
        ["run", name, reps] => {
            let workload = workloads::by_name(name)
                .ok_or_else(|| format!("no workload {name:?}"))?;
            let Runner::InWorker(body) = workload.runner else {
                return Err(format!(
                    "{name} is timed by the runner, not inside a worker"
                ));
            };
            let reps: u32 = reps
                .parse()
                .map_err(|err| format!("reps {reps:?}: {err}"))?;
            Ok(vec![result_line(name, reps, || body(reps.max(1)))])
        }
        ["handover", batch, reps] => {
            let batch: usize = batch
                .parse()
                .map_err(|err| format!("batch {batch:?}: {err}"))?;
            let reps: u32 = reps
                .parse()
                .map_err(|err| format!("reps {reps:?}: {err}"))?;
            Ok(vec![result_line(
                &format!("handover-{batch}"),
                reps,
                || workloads::threads::producer_consumer_batch(batch, reps.max(1)),
            )])
        }
        ["rss", mebibytes, waits] => {
            let mebibytes: usize = mebibytes
                .parse()
                .map_err(|err| format!("mebibytes {mebibytes:?}: {err}"))?;
            let waits = waits
                .split(',')
                .map(|s| s.parse::<f64>().map(Duration::from_secs_f64))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|err| format!("waits {waits:?}: {err}"))?;
            let samples = rss::rss_after_freeing(mebibytes << 20, &waits, || {
                rss::release_free_memory(allocator)
            });
            Ok(rss_lines(&samples))
        }
        ["rss-frees", mebibytes, wait, frees] => {
            let mebibytes: usize = mebibytes
                .parse()
                .map_err(|err| format!("mebibytes {mebibytes:?}: {err}"))?;
            let wait = wait
                .parse::<f64>()
                .map(Duration::from_secs_f64)
                .map_err(|err| format!("wait {wait:?}: {err}"))?;
            let frees: usize = frees
                .parse()
                .map_err(|err| format!("frees {frees:?}: {err}"))?;
            Ok(rss_lines(&rss::rss_after_frees_only(
                mebibytes << 20,
                wait,
                frees,
            )))
        }
        ["service", threads, cycles, mebibytes, idle, after] => {
            let number = |what: &str, text: &str| -> Result<usize, String> {
                text.parse()
                    .map_err(|err| format!("{what} {text:?}: {err}"))
            };
            let service = service::Service {
                threads: number("threads", threads)?,
                cycles: number("cycles", cycles)?,
                burst_bytes: number("mebibytes", mebibytes)? << 20,
                idle: idle
                    .parse::<f64>()
                    .map(Duration::from_secs_f64)
                    .map_err(|err| format!("idle {idle:?}: {err}"))?,
                after_burst: service::AfterBurst::from_name(after)
                    .ok_or_else(|| format!("no after-burst action {after:?}"))?,
            };
            let mut lines: Vec<String> = service::run(service, allocator)
                .iter()
                .map(|r| {
                    format!(
                        "mem t_ms={} cycle={} phase={} bytes={}",
                        r.t.as_millis(),
                        r.cycle,
                        r.phase,
                        r.bytes
                    )
                })
                .collect();
            if allocator == Allocator::System {
                lines.push(format!("arenas count={}", service::glibc_arenas()));
            }
            Ok(lines)
        }
        _ => Err(format!("cannot read the arguments {args:?}")),
    }
}

/// Times `body` and reports its time per operation, page faults and context switches.
fn result_line(
    name: &str,
    reps: u32,
    body: impl FnOnce() -> workloads::Measured,
) -> String {
    let faults_before = minor_faults();
    let (voluntary_before, involuntary_before) = context_switches();
    let measured = body();
    let faults = minor_faults() - faults_before;
    let (voluntary, involuntary) = context_switches();
    format!(
        "result workload={name} reps={reps} ops={} ns_per_op={:.3} minor_faults={faults} \
         voluntary_switches={} involuntary_switches={}",
        measured.ops,
        measured.ns_per_op(),
        voluntary - voluntary_before,
        involuntary - involuntary_before
    )
}

fn rss_lines(samples: &[rss::RssSample]) -> Vec<String> {
    samples
        .iter()
        .map(|s| {
            format!(
                "rss phase={} after_ms={} bytes={}",
                s.phase,
                s.after.as_millis(),
                s.bytes
            )
        })
        .collect()
}
