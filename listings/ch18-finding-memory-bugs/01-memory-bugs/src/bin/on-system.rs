//! The bugs of this listing on the system allocator (the default, said out loud).

#[global_allocator]
static GLOBAL: std::alloc::System = std::alloc::System;

fn main() {
    if let Err(err) = ch18_memory_bugs::run_from_args() {
        eprintln!("{err}");
        std::process::exit(2);
    }
}
