//! A binary on jemalloc that prints jemalloc's settings as this process sees them:
//! `ch07-configuring-jemalloc [setting...]`. Configure it with `_RJEM_MALLOC_CONF`.

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    ch07_configuring_jemalloc::print_settings();
}
