//! Running a child process with its stdout and stderr merged, in the order it wrote them.

use std::io::Read;
use std::process::{Command, ExitStatus};

/// Runs `command` with stdout and stderr sent to one pipe, and returns how it ended and all it
/// wrote (lossily decoded). Spawning errors come back as `Err`, for the caller to explain.
///
/// ```
/// let mut command = std::process::Command::new("sh");
/// command.args(["-c", "echo out; echo err >&2; echo out again"]);
/// let (status, output) = book_harness::process::run_merged(command).expect("sh runs");
/// assert!(status.success());
/// assert_eq!(output, "out\nerr\nout again\n", "both streams, in the order written");
/// ```
pub fn run_merged(mut command: Command) -> std::io::Result<(ExitStatus, String)> {
    let (mut reader, writer) = std::io::pipe()?;
    let writer_for_stderr = writer.try_clone()?;
    command.stdout(writer).stderr(writer_for_stderr);
    let mut child = command.spawn()?;
    // The parent's copies of the write end must close, or the read below never ends.
    drop(command);
    let mut raw = Vec::new();
    reader.read_to_end(&mut raw)?;
    let status = child.wait()?;
    Ok((status, String::from_utf8_lossy(&raw).into_owned()))
}

/// A path next to `path` that no other build in this or another test process uses:
/// `.<file name>.<process id>.<counter>.partial`, for a compiler to write before
/// [`replace_with`] moves the result into place.
///
/// ```
/// use book_harness::process::unique_sibling;
///
/// let program = std::path::Path::new("/tmp/programs/host");
/// let (first, second) = (unique_sibling(program), unique_sibling(program));
/// assert_ne!(first, second, "two builds never share a partial file");
/// assert_eq!(first.parent(), program.parent(), "a rename stays on one file system");
/// ```
pub fn unique_sibling(path: &std::path::Path) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = path
        .file_name()
        .unwrap_or_else(|| panic!("{} has no file name", path.display()))
        .to_string_lossy();
    path.with_file_name(format!(
        ".{name}.{}.{}.partial",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Moves the freshly built `partial` over `path` in one rename. A program that another test is
/// running keeps its old file; a test that starts it now gets the new one, complete. Writing the
/// program in place instead can make exec fail with "Text file busy" while a second build of the
/// same program is still writing it.
///
/// ```
/// use book_harness::process::{replace_with, unique_sibling};
///
/// let dir = std::env::temp_dir().join(format!("replace-with-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).expect("a writable temporary directory");
/// let program = dir.join("program");
/// let partial = unique_sibling(&program);
/// std::fs::write(&partial, "new").expect("writable");
/// replace_with(&partial, &program);
/// assert_eq!(std::fs::read_to_string(&program).expect("readable"), "new");
/// assert!(!partial.exists(), "the partial file was moved, not copied");
/// # std::fs::remove_dir_all(&dir).ok();
/// ```
pub fn replace_with(partial: &std::path::Path, path: &std::path::Path) {
    std::fs::rename(partial, path).unwrap_or_else(|err| {
        panic!(
            "cannot move {} to {}: {err}",
            partial.display(),
            path.display()
        )
    });
}

#[cfg(test)]
mod replace_tests {
    use super::*;

    #[test]
    fn a_partial_file_replaces_the_program_whole_and_siblings_differ() {
        let dir = crate::repo::target_dir().join("harness-replace-test");
        std::fs::create_dir_all(&dir).expect("a writable target directory");
        let program = dir.join("program");
        std::fs::write(&program, "old").expect("writable");
        let (first, second) = (unique_sibling(&program), unique_sibling(&program));
        assert_ne!(first, second, "two builds must not share a partial file");
        assert_eq!(
            first.parent(),
            program.parent(),
            "a rename stays on one file system"
        );
        std::fs::write(&first, "new").expect("writable");
        replace_with(&first, &program);
        assert_eq!(std::fs::read_to_string(&program).expect("readable"), "new");
        assert!(!first.exists(), "the partial file is gone after the rename");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
