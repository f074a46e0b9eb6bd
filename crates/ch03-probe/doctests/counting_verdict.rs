// A doctest of ch03-probe (the docs of `Counting`), built as a crate and a process of its
// own: its #[global_allocator] is the only one in the program.
// ANCHOR: program
use ch03_probe::{Counting, Probe, Verdict, run::assert_served_by};
use tikv_jemallocator::Jemalloc;

#[global_allocator]
static GLOBAL: Counting<Jemalloc> = Counting::new(Jemalloc);

fn main() {
    let reading = Probe::with_counter(&GLOBAL).measure(100);
    assert_eq!(reading.counted, Some(6400), "the wrapper saw 64 blocks of 100 B");
    // Linux with glibc only: there the probe reads both allocators' counters.
    if cfg!(all(target_os = "linux", target_env = "gnu")) {
        assert_served_by(&reading, Verdict::Jemalloc);
    }
}
// ANCHOR_END: program
