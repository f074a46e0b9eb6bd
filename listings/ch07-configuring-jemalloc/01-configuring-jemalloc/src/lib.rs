//! jemalloc's settings as the running process sees them, read back through its `mallctl`
//! interface, and the test side that runs a binary with a configuration and parses what it printed.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::process::Command;

/// The settings the binaries print, by their `mallctl` names, and two readings that are not
/// jemalloc's: `process.threads`, the number of threads the kernel lists for the process, and
/// `probe.verdict`, who served a batch of 64 blocks of 4 KiB (chapter 3's probe). [`read`] also
/// answers `config.malloc_conf` when asked by name.
///
/// ```
/// use ch07_configuring_jemalloc::{SETTINGS, read};
///
/// for name in SETTINGS {
///     assert!(read(name).is_some(), "`read` knows {name}");
/// }
/// ```
pub const SETTINGS: [&str; 9] = [
    "opt.narenas",
    "arenas.narenas",
    "opt.dirty_decay_ms",
    "opt.background_thread",
    "background_thread",
    "max_background_threads",
    "stats.background_thread.num_threads",
    "process.threads",
    "probe.verdict",
];

/// Reads one of [`SETTINGS`] and formats its value; `None` for a name it does not know.
///
/// ```
/// use ch07_configuring_jemalloc::read;
///
/// let narenas = read("arenas.narenas").and_then(Result::ok).expect("jemalloc answers");
/// assert!(narenas.parse::<u32>().is_ok_and(|n| n >= 1), "{narenas}");
/// assert!(read("no.such.setting").is_none());
/// // Linux with glibc only: this example declares no #[global_allocator], so glibc serves it.
/// if cfg!(all(target_os = "linux", target_env = "gnu")) {
///     assert_eq!(read("probe.verdict").and_then(Result::ok).as_deref(), Some("System"));
/// }
/// ```
// ANCHOR: read
#[cfg(not(target_env = "msvc"))]
pub fn read(name: &str) -> Option<Result<String, tikv_jemalloc_ctl::Error>> {
    use tikv_jemalloc_ctl as ctl;
    fn text(value: impl std::fmt::Display) -> String {
        value.to_string()
    }
    let value = match name {
        "opt.narenas" => ctl::opt::narenas::read().map(text),
        "arenas.narenas" => ctl::arenas::narenas::read().map(text),
        "opt.dirty_decay_ms" => {
            // SAFETY: `opt.dirty_decay_ms` is an `ssize_t`: read it as an `isize`.
            unsafe { ctl::raw::read::<isize>(b"opt.dirty_decay_ms\0") }.map(text)
        }
        "opt.background_thread" => ctl::opt::background_thread::read().map(text),
        "background_thread" => ctl::background_thread::read().map(text),
        "max_background_threads" => ctl::max_background_threads::read().map(text),
        "stats.background_thread.num_threads" => ctl::epoch::advance().and_then(|_| {
            let key = b"stats.background_thread.num_threads\0";
            // SAFETY: the statistic is a `size_t`, read as the same-sized `usize`.
            unsafe { ctl::raw::read::<usize>(key) }.map(text)
        }),
        // The string compiled in with configure's `--with-malloc-conf`, read first at
        // start-up. tikv-jemalloc-ctl 0.7 keeps the C string's terminating NUL in the
        // `&str` it returns.
        "config.malloc_conf" => {
            let conf = ctl::config::malloc_conf::read();
            conf.map(|conf| conf.trim_end_matches('\0').to_owned())
        }
        "process.threads" => Ok(process_threads()),
        "probe.verdict" => Ok(text(ch03_probe::Probe::new().measure(4096).verdict())),
        _ => return None,
    };
    Some(value)
}
// ANCHOR_END: read

/// The `Threads:` line of `/proc/self/status`, or `n/a` where there is none.
#[cfg(not(target_env = "msvc"))]
fn process_threads() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Threads:").map(|n| n.trim().to_owned()))
        })
        .unwrap_or_else(|| "n/a".to_owned())
}

/// Prints `name=value` for each setting named in the arguments (all of [`SETTINGS`] when there
/// are none). Exits with a message for a name it does not know or a setting jemalloc refuses.
///
/// No example: it reads the process's own arguments, which an example cannot choose; the
/// tests run the binaries that call it with [`settings_of`].
#[cfg(target_env = "msvc")]
pub fn print_settings() {
    eprintln!("jemalloc does not support MSVC targets; there is nothing to configure here");
    std::process::exit(2);
}

/// Prints `name=value` for each setting named in the arguments (all of [`SETTINGS`] when there
/// are none). Exits with a message for a name it does not know or a setting jemalloc refuses.
///
/// No example: it reads the process's own arguments, which an example cannot choose; the
/// tests run the binaries that call it with [`settings_of`].
#[cfg(not(target_env = "msvc"))]
pub fn print_settings() {
    let mut names: Vec<String> = std::env::args().skip(1).collect();
    if names.is_empty() {
        names = SETTINGS.iter().map(|name| (*name).to_owned()).collect();
    }
    for name in names {
        match read(&name) {
            Some(Ok(value)) => println!("{name}={value}"),
            Some(Err(err)) => {
                eprintln!("jemalloc refused to read `{name}`: {err}");
                std::process::exit(1);
            }
            None => {
                eprintln!("`{name}` is not one of {SETTINGS:?}");
                std::process::exit(2);
            }
        }
    }
}

/// Runs `program` with exactly the jemalloc configuration in `env` (the caller's `MALLOC_CONF`
/// and `_RJEM_MALLOC_CONF` are removed first) and returns the settings it printed, by name.
/// Panics with the program's output when it fails.
///
/// ```
/// use ch07_configuring_jemalloc::settings_of;
///
/// // `env` prints its environment as NAME=value lines: exactly the configuration it was given.
/// let seen = settings_of("env", &[("_RJEM_MALLOC_CONF", "narenas:2")]);
/// assert_eq!(seen.get("_RJEM_MALLOC_CONF").map(String::as_str), Some("narenas:2"));
/// assert!(!seen.contains_key("MALLOC_CONF"), "the caller's MALLOC_CONF is removed");
/// ```
pub fn settings_of(program: impl AsRef<OsStr>, env: &[(&str, &str)]) -> BTreeMap<String, String> {
    let program = program.as_ref();
    let output = Command::new(program)
        .env_remove("MALLOC_CONF")
        .env_remove("_RJEM_MALLOC_CONF")
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|err| panic!("cannot run {program:?}: {err}"));
    assert!(
        output.status.success(),
        "{program:?} with {env:?} failed with {}:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}
