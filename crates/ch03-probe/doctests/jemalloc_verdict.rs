// A doctest of ch03-probe (the docs of `Verdict`), built as a crate and a process of its
// own: its #[global_allocator] is the only one in the program.
// ANCHOR: program
use ch03_probe::{Probe, Verdict, run::assert_served_by};
use tikv_jemallocator::Jemalloc;

#[global_allocator]
static GLOBAL: Jemalloc = Jemalloc;

fn main() {
    let reading = Probe::new().measure(100);
    // Linux with glibc only: there the probe reads both allocators' counters.
    if cfg!(all(target_os = "linux", target_env = "gnu")) {
        assert_served_by(&reading, Verdict::Jemalloc);
    }
}
// ANCHOR_END: program
