//! Allocations that std makes itself (`format!`, `std::env::args`, `read_to_end`, a spawned
//! thread), measured in three builds of the same code (`ch10-std-allocations`):
//! - `std-allocations`: the chapter's setup, jemalloc from the dylib, std a shared library;
//! - `static-std`: jemalloc declared in the binary, std linked in statically;
//! - `shared-std`: the same source built with `-C prefer-dynamic` (rust-lang/rust#100781 and
//!   #114518): std's own code allocates from System, and mixing the two crashes.
//!
//! Every program runs in a child process, with `argv[0]` set to the path the book shows, so that
//! the bytes `std::env::args` copies do not depend on where the repository lies.
// glibc's counters and a glibc abort are what the readings show: Linux with glibc only.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::collections::BTreeMap;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, ExitStatus};

use ch03_probe::run::assert_served_by;
use ch03_probe::{Reading, Verdict};

use crate::common;

use common::{SHARED_STD, SHARED_STD_BUILD, STATIC_STD, target_libdir};

const RECORDED: &str = "listings/ch10-rust-dylib/01-rust-dylib/recorded";
const DYLIB_BINARY: &str = env!("CARGO_BIN_EXE_std-allocations");

/// One run of a measuring binary.
struct Run {
    status: ExitStatus,
    output: String,
}

impl Run {
    /// The readings printed under each site's title line (`<site>: ...`).
    fn sites(&self) -> BTreeMap<String, Vec<Reading>> {
        // Each site's section: its title, then the lines under it (a reading is two lines).
        let mut sections: Vec<(Option<String>, String)> = vec![(None, String::new())];
        for line in self.output.lines() {
            if let Some((site, _)) = line.split_once(": ")
                && ch10_std_allocations::SITES.contains(&site)
            {
                sections.push((Some(site.to_owned()), String::new()));
            } else if let Some((_, text)) = sections.last_mut() {
                text.push_str(line);
                text.push('\n');
            }
        }
        let mut sites: BTreeMap<String, Vec<Reading>> = BTreeMap::new();
        for (site, text) in sections {
            let readings = ch03_probe::reading::parse_all(&text)
                .unwrap_or_else(|err| panic!("a bad reading: {err}\n{}", self.output));
            match site {
                Some(site) => sites.entry(site).or_default().extend(readings),
                None => assert!(
                    readings.is_empty(),
                    "a reading before any title:\n{}",
                    self.output
                ),
            }
        }
        sites
    }

    /// The single reading of `site`.
    fn reading(&self, site: &str) -> Reading {
        let sites = self.sites();
        let readings = sites
            .get(site)
            .unwrap_or_else(|| panic!("no `{site}:` section in:\n{}", self.output));
        assert_eq!(
            readings.len(),
            1,
            "one reading for {site}:\n{}",
            self.output
        );
        readings[0].clone()
    }
}

/// Runs `program` with `sites` as arguments and `argv[0]` set to `shown` (the path the book shows),
/// with std's directory (and the dylib's, which `cargo test` already sets) on the library path.
/// Compares the output with the recording `file` under `recorded/`, after the shown `commands`.
fn run_recorded(program: &Path, shown: &str, sites: &[&str], commands: &str, file: &str) -> Run {
    let mut command = Command::new(program);
    command.arg0(shown).args(sites);
    let inherited = std::env::var("LD_LIBRARY_PATH").unwrap_or_default();
    command.env(
        "LD_LIBRARY_PATH",
        format!("{}:{inherited}", target_libdir()),
    );
    let (status, output) = book_harness::process::run_merged(command)
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", program.display()));
    let output = book_harness::normalise(&output);
    // check_transcript leaves jemalloc's process-wide figure out of the recording.
    book_harness::recorded::check_transcript(
        format!("{RECORDED}/{file}"),
        &format!("{commands}{output}"),
    );
    Run { status, output }
}

/// What the spawn site shows in a build where std allocates through jemalloc: jemalloc served
/// the names std copied and owns the first; glibc grew too, by less than the names: std
/// allocates each thread's handle with System on purpose, and glibc's thread code calls malloc.
fn assert_spawn_names_went_to_jemalloc(r: &Reading) {
    let jemalloc = r.jemalloc_thread.expect("a jemalloc reading");
    let glibc = r.glibc.expect("a glibc reading");
    assert!(
        jemalloc >= r.requested(),
        "jemalloc grew by less than the names: {r}"
    );
    assert_eq!(
        r.jemalloc_owns,
        Some(true),
        "jemalloc does not own the name: {r}"
    );
    assert!(
        glibc > 0 && glibc < (r.requested() / 2) as i64,
        "glibc should grow by the threads' own memory, less than half the names: {r}"
    );
}

/// Neither allocator served the stacks: glibc's thread code maps them itself.
fn assert_stacks_came_from_neither(r: &Reading) {
    let jemalloc = r.jemalloc_thread.expect("a jemalloc reading");
    let glibc = r.glibc.expect("a glibc reading");
    assert!(glibc < r.size as i64, "glibc grew by a whole stack: {r}");
    assert!(jemalloc < r.size, "jemalloc grew by a whole stack: {r}");
    assert_eq!(
        r.jemalloc_owns,
        Some(false),
        "jemalloc claims a stack address: {r}"
    );
    assert_eq!(r.verdict(), Verdict::Unknown, "{r}");
}

/// The `handles` site's two lines: (glibc's growth, jemalloc's thread counter's growth) for 64
/// threads whose handles were dropped, then for 64 whose handles were kept.
fn handles(output: &str) -> [(i64, u64); 2] {
    let line = |what: &str| {
        let prefix = format!("handles {what}: glibc grew by ");
        let line = output
            .lines()
            .find_map(|line| line.strip_prefix(&prefix))
            .unwrap_or_else(|| panic!("no `handles {what}` line:\n{output}"));
        let (glibc, rest) = line
            .split_once(" B, jemalloc's thread counter by ")
            .expect(line);
        let jemalloc = rest.strip_suffix(" B").expect(line);
        (
            glibc.parse().expect("glibc's growth"),
            jemalloc.parse().expect("jemalloc's growth"),
        )
    };
    [line("dropped"), line("kept")]
}

/// std allocates thread handles (`Thread`) with System, whatever the global allocator: keeping
/// 64 of them keeps glibc's bytes in use higher, and leaves jemalloc's counter as it was.
fn assert_thread_handles_come_from_glibc(output: &str) {
    let [
        (glibc_dropped, jemalloc_dropped),
        (glibc_kept, jemalloc_kept),
    ] = handles(output);
    assert_eq!(glibc_dropped, 0, "{output}");
    assert!(
        glibc_kept >= 32 * 64,
        "64 kept handles should hold at least 32 B each in glibc, not {glibc_kept} B:\n{output}"
    );
    assert_eq!(
        jemalloc_dropped, jemalloc_kept,
        "keeping the handles changed what jemalloc allocated:\n{output}"
    );
}

/// Every site in a build whose std allocates through jemalloc.
fn assert_std_allocates_through_jemalloc(run: &Run) {
    assert!(run.status.success(), "{:?}\n{}", run.status, run.output);
    let sites = run.sites();
    let names: Vec<&str> = sites.keys().map(String::as_str).collect();
    let mut expected = ch10_std_allocations::SITES.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected, "{}", run.output);
    for site in ["box", "box-slice", "format", "args", "read_to_end"] {
        assert_served_by(&run.reading(site), Verdict::Jemalloc);
    }
    assert_spawn_names_went_to_jemalloc(&run.reading("spawn"));
    assert!(sites["handles"].is_empty(), "{}", run.output);
    assert_thread_handles_come_from_glibc(&run.output);
    assert_stacks_came_from_neither(&run.reading("stack"));
    assert!(sites["thread"].is_empty(), "{}", run.output);
    assert!(
        run.output.contains("the thread ran and was joined"),
        "{}",
        run.output
    );
    let in_thread = &sites["in-thread"];
    assert_eq!(in_thread.len(), 2, "{}", run.output);
    for reading in in_thread {
        assert_served_by(reading, Verdict::Jemalloc);
    }
}

#[test]
fn with_the_dylibs_allocator_std_allocates_through_jemalloc_too() {
    let run = run_recorded(
        Path::new(DYLIB_BINARY),
        "target/debug/std-allocations",
        &[],
        "$ target/debug/std-allocations\n",
        "std-allocations.txt",
    );
    assert_std_allocates_through_jemalloc(&run);
}

#[test]
fn with_std_linked_statically_std_allocates_through_jemalloc_too() {
    let run = run_recorded(
        &STATIC_STD,
        "target/debug/static-std",
        &[],
        "$ cargo build -q -p ch10-allocator-in-binary --bin static-std\n\
         $ target/debug/static-std\n",
        "static-std.txt",
    );
    assert_std_allocates_through_jemalloc(&run);
}

/// The `cargo rustc` line of the `shared-std` recordings.
fn shared_std_commands(sites: &str) -> String {
    format!(
        "$ cargo {}\n$ target/debug/shared-std {sites}\n",
        SHARED_STD_BUILD.join(" ")
    )
}

#[test]
fn with_jemalloc_in_the_binary_and_std_shared_stds_own_allocations_go_to_system() {
    let sites = ["box", "format", "args", "read_to_end"];
    let run = run_recorded(
        &SHARED_STD,
        "target/debug/shared-std",
        &sites,
        &shared_std_commands(&sites.join(" ")),
        "shared-std.txt",
    );
    assert!(run.status.success(), "{:?}\n{}", run.status, run.output);
    // Box::new's allocation call is compiled into the binary: it reaches jemalloc.
    assert_served_by(&run.reading("box"), Verdict::Jemalloc);
    for site in ["format", "args", "read_to_end"] {
        assert_served_by(&run.reading(site), Verdict::System);
    }
}

#[test]
fn with_std_shared_the_binarys_own_slices_go_to_system_and_freeing_them_segfaults() {
    let run = run_recorded(
        &SHARED_STD,
        "target/debug/shared-std",
        &["box-slice"],
        &shared_std_commands("box-slice"),
        "shared-std-box-slice.txt",
    );
    assert_served_by(&run.reading("box-slice"), Verdict::System);
    assert_eq!(
        run.status.signal(),
        Some(libc::SIGSEGV),
        "jemalloc should crash freeing glibc's blocks: {:?}\n{}",
        run.status,
        run.output
    );
}

#[test]
fn with_std_shared_spawning_a_thread_aborts_in_glibcs_free() {
    let run = run_recorded(
        &SHARED_STD,
        "target/debug/shared-std",
        &["thread"],
        &shared_std_commands("thread"),
        "shared-std-thread.txt",
    );
    assert!(!run.output.contains("was joined"), "{}", run.output);
    assert_eq!(
        run.status.signal(),
        Some(libc::SIGABRT),
        "glibc should abort freeing a block jemalloc made: {:?}\n{}",
        run.status,
        run.output
    );
    assert!(
        run.output.contains("free(): invalid pointer"),
        "{}",
        run.output
    );
}
