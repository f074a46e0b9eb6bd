//! The bugs of this listing on jemalloc.

// jemalloc does not build for MSVC targets: there this binary keeps System.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    if let Err(err) = ch18_memory_bugs::run_from_args() {
        eprintln!("{err}");
        std::process::exit(2);
    }
}
