//! The same binary with a configuration compiled in: jemalloc reads the C string that the symbol
//! `malloc_conf` points to when it starts, before it reads the environment.

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// ANCHOR: malloc_conf
/// jemalloc's `const char *malloc_conf`. tikv-jemallocator builds jemalloc with the
/// prefix `_rjem_`, so the symbol it reads is `_rjem_malloc_conf`; an unprefixed build
/// reads `malloc_conf`.
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static MALLOC_CONF: &std::ffi::c_char = {
    let conf = c"narenas:5,dirty_decay_ms:5000";
    // SAFETY: the pointer comes from a C string literal, which lives forever.
    unsafe { &*conf.as_ptr() }
};
// ANCHOR_END: malloc_conf

fn main() {
    ch07_configuring_jemalloc::print_settings();
}
