//! A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise
//! (logs).

use std::io::{IsTerminal, Write};
use std::time::Instant;

pub struct Progress {
    total: usize,
    done: usize,
    started: Instant,
    terminal: bool,
    last_tenth: usize,
}

impl Progress {
    /// A bar for `total` steps.
    pub fn new(total: usize) -> Self {
        Progress {
            total: total.max(1),
            done: 0,
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            last_tenth: 0,
        }
    }

    /// One more step done; `label` says what runs next.
    pub fn step(&mut self, label: &str) {
        self.done = (self.done + 1).min(self.total);
        let line = self.line(label);
        let mut stderr = std::io::stderr().lock();
        if self.terminal {
            let _ = write!(stderr, "\r{line:<100}");
        } else {
            let tenth = self.done * 10 / self.total;
            if tenth > self.last_tenth {
                self.last_tenth = tenth;
                let _ = writeln!(stderr, "{line}");
            }
        }
    }

    /// Ends the bar's line.
    pub fn finish(&self) {
        if self.terminal {
            eprintln!();
        }
    }

    /// `[#####-----]  50/100  0m12s left  label`.
    pub fn line(&self, label: &str) -> String {
        const WIDTH: usize = 30;
        let filled = self.done * WIDTH / self.total;
        let elapsed = self.started.elapsed().as_secs_f64();
        let left = elapsed / self.done.max(1) as f64 * (self.total - self.done) as f64;
        format!(
            "[{}{}] {:>5}/{} {:>2}m{:02}s left  {label}",
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            self.done,
            self.total,
            (left / 60.0) as u64,
            (left % 60.0) as u64
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_steps() {
        let mut progress = Progress::new(4);
        progress.terminal = true;
        progress.done = 2;
        assert!(
            progress
                .line("x")
                .starts_with("[###############---------------]     2/4"),
            "expected the bar half full at 2/4, saw {:?}",
            progress.line("x")
        );
    }
}
