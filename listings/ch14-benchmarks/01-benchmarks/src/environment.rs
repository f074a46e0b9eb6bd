//! The environment record: what a result depends on besides the code.

use std::process::Command;

/// `(key, value)` pairs, in a fixed order.
pub type Record = Vec<(String, String)>;

fn read(path: &str) -> String {
    std::fs::read_to_string(path)
        .map(|text| text.trim().to_owned())
        .unwrap_or_else(|_| "unreadable".to_owned())
}

/// The first `model name` of /proc/cpuinfo.
fn cpu_model() -> String {
    read("/proc/cpuinfo")
        .lines()
        .find_map(|line| {
            line.strip_prefix("model name")?
                .split_once(':')
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The 1-minute load average.
pub fn load_average() -> String {
    read("/proc/loadavg")
        .split_whitespace()
        .next()
        .unwrap_or("unknown")
        .to_owned()
}

fn glibc_version() -> String {
    // SAFETY: gnu_get_libc_version returns a pointer to a static NUL-terminated string.
    let version = unsafe { std::ffi::CStr::from_ptr(libc::gnu_get_libc_version()) };
    version.to_string_lossy().into_owned()
}

fn mimalloc_version() -> String {
    // SAFETY: mi_version takes no arguments and returns a constant.
    let encoded = unsafe { libmimalloc_sys::mi_version() };
    // major * 100 + minor, or major * 10000 + minor * 100 + patch since mimalloc 3.
    if encoded >= 10_000 {
        format!(
            "{}.{}.{}",
            encoded / 10_000,
            encoded / 100 % 100,
            encoded % 100
        )
    } else {
        format!("{}.{}", encoded / 100, encoded % 100)
    }
}

fn rustc_version() -> String {
    Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned()))
        .arg("--version")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Whether an environment variable that configures an allocator is set, and to what.
fn variable(name: &str) -> String {
    match std::env::var(name) {
        Ok(value) => format!("set: {value}"),
        Err(_) => "unset".to_owned(),
    }
}

/// mimalloc reads every `MIMALLOC_<OPTION>` variable: the ones set, or `unset`.
fn mimalloc_variables() -> String {
    let set: Vec<String> = std::env::vars()
        .filter(|(name, _)| name.starts_with("MIMALLOC_"))
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    if set.is_empty() {
        "unset".to_owned()
    } else {
        format!("set: {}", set.join(" "))
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock.
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() / 86_400) as i64;
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Everything a reader needs to compare a run with their own.
pub fn record() -> Record {
    let pairs: Vec<(&str, String)> = vec![
        ("date", today()),
        ("cpu", cpu_model()),
        (
            "cores",
            std::thread::available_parallelism()
                .map_or("unknown".to_owned(), |n| n.to_string()),
        ),
        ("kernel", read("/proc/sys/kernel/osrelease")),
        (
            "transparent_hugepage",
            read("/sys/kernel/mm/transparent_hugepage/enabled"),
        ),
        (
            "transparent_hugepage_defrag",
            read("/sys/kernel/mm/transparent_hugepage/defrag"),
        ),
        ("glibc", glibc_version()),
        (
            "jemalloc",
            // The mallctl string ends with its C terminator.
            tikv_jemalloc_ctl::version::read().map_or("unknown".to_owned(), |v| {
                v.trim_end_matches('\0').to_owned()
            }),
        ),
        ("mimalloc", mimalloc_version()),
        ("rustc", rustc_version()),
        (
            "profile",
            if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            }
            .to_owned(),
        ),
        ("MALLOC_CONF", variable("MALLOC_CONF")),
        ("_RJEM_MALLOC_CONF", variable("_RJEM_MALLOC_CONF")),
        ("MIMALLOC_*", mimalloc_variables()),
        ("GLIBC_TUNABLES", variable("GLIBC_TUNABLES")),
    ];
    pairs
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(20_513), (2026, 3, 1));
    }

    #[test]
    fn the_record_names_what_the_issue_asks_for() {
        let record = record();
        for key in [
            "glibc",
            "jemalloc",
            "mimalloc",
            "cpu",
            "cores",
            "transparent_hugepage",
            "MALLOC_CONF",
            "_RJEM_MALLOC_CONF",
        ] {
            let value = record.iter().find(|(k, _)| k == key).map(|(_, v)| v);
            assert!(value.is_some_and(|v| !v.is_empty()), "{key}: {value:?}");
        }
    }
}
