//! Running a child process with its stdout and stderr merged, in the order it wrote them.

use std::io::Read;
use std::process::{Command, ExitStatus};

/// Runs `command` with stdout and stderr sent to one pipe, and returns how it ended and all it
/// wrote (lossily decoded). Spawning errors come back as `Err`, for the caller to explain.
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
