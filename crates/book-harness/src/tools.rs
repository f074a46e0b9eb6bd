//! External tools a test needs (a C compiler, `nm`, `readelf`), found on `PATH` or explained.

use std::fmt;
use std::path::PathBuf;

/// A tool that is not on `PATH`, with the way to install it.
///
/// ```
/// use book_harness::tools::MissingTool;
///
/// let missing = MissingTool { tool: "valgrind".into(), debian_package: "valgrind".into() };
/// assert!(missing.to_string().contains("sudo apt-get install valgrind"), "{missing}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingTool {
    /// The program that was looked for.
    pub tool: String,
    /// The Debian/Ubuntu package that provides it.
    pub debian_package: String,
}

impl fmt::Display for MissingTool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not on PATH; this test needs it. Install it with \
             `sudo apt-get install {}` (Debian/Ubuntu; `.ci/run` does this), \
             or your system's package for it.",
            self.tool, self.debian_package
        )
    }
}

impl std::error::Error for MissingTool {}

/// Finds `tool` on `PATH`. The error names the tool and the Debian package that installs it.
///
/// ```
/// use book_harness::tools::find;
///
/// assert!(find("sh", "dash").is_ok(), "every Unix has sh");
/// let missing = find("no-such-tool-here", "no-such-package").expect_err("not on PATH");
/// assert_eq!(missing.debian_package, "no-such-package");
/// ```
pub fn find(tool: &str, debian_package: &str) -> Result<PathBuf, MissingTool> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|candidate| is_executable(candidate))
        .ok_or_else(|| MissingTool {
            tool: tool.to_owned(),
            debian_package: debian_package.to_owned(),
        })
}

/// Like [`find`], for a test that cannot go on without the tool: panics with the install hint.
///
/// ```
/// let sh = book_harness::tools::require("sh", "dash");
/// assert!(sh.ends_with("sh"), "{}", sh.display());
/// let missing = std::panic::catch_unwind(|| book_harness::tools::require("no-such-tool", "pkg"));
/// assert!(missing.is_err(), "a missing tool panics with the install hint");
/// ```
pub fn require(tool: &str, debian_package: &str) -> PathBuf {
    find(tool, debian_package).unwrap_or_else(|missing| panic!("{missing}"))
}

#[cfg(unix)]
fn is_executable(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &std::path::Path) -> bool {
    path.is_file() || path.with_extension("exe").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_tool_says_how_to_install_it() {
        let err = find("no-such-tool-for-the-allocator-book", "no-such-package").unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("`no-such-tool-for-the-allocator-book` is not on PATH"),
            "expected the message to say the tool is not on PATH, saw {message:?}"
        );
        assert!(
            message.contains("apt-get install no-such-package"),
            "expected the message to give the apt-get command, saw {message:?}"
        );
    }

    // Unix only: the tool it looks for is `sh`.
    #[cfg(unix)]
    #[test]
    fn a_present_tool_is_found() {
        let sh = find("sh", "dash").expect("every Unix has sh");
        assert!(
            sh.ends_with("sh"),
            "expected a path ending in sh, saw {}",
            sh.display()
        );
    }
}
