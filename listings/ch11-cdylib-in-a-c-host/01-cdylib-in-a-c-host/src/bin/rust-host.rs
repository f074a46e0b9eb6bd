//! A Rust host that loads a cdylib at run time with `libc::dlopen`, as `dlopen_host.c` does:
//! `rust-host path/to/library.so`. Its own global allocator is the default, `System`.

use std::process::ExitCode;

#[cfg(unix)]
mod host {
    use std::ffi::{CStr, CString, c_char, c_int, c_void};

    use ch03_probe::probe::BATCH;

    type MeasureRust = unsafe extern "C" fn(usize, *mut c_char, usize) -> c_int;
    type Begin = extern "C" fn();
    type End = unsafe extern "C" fn(usize, usize, *const c_void, *mut c_char, usize) -> c_int;

    /// The last `dlopen`/`dlsym` error, as text.
    fn dl_error() -> String {
        // SAFETY: dlerror returns null or a NUL-terminated message that stays valid until the next
        // dl* call on this thread; it is copied at once.
        let message = unsafe { libc::dlerror() };
        if message.is_null() {
            return "no error reported".to_owned();
        }
        // SAFETY: non-null, so a NUL-terminated string from dlerror.
        unsafe { CStr::from_ptr(message) }
            .to_string_lossy()
            .into_owned()
    }

    /// Looks up `name` in `library`; the caller names the function type the library exports.
    fn symbol(library: *mut c_void, name: &CStr) -> Result<*mut c_void, String> {
        // SAFETY: `library` is a live handle from dlopen and `name` a NUL-terminated string.
        let address = unsafe { libc::dlsym(library, name.as_ptr()) };
        if address.is_null() {
            Err(format!("no {name:?} in the library: {}", dl_error()))
        } else {
            Ok(address)
        }
    }

    fn text(line: &[c_char]) -> String {
        // SAFETY: the probe wrote a NUL-terminated line into the buffer.
        unsafe { CStr::from_ptr(line.as_ptr()) }
            .to_string_lossy()
            .into_owned()
    }

    pub fn run(path: &str) -> Result<(), String> {
        let c_path = CString::new(path).map_err(|_| format!("{path:?} contains a NUL byte"))?;
        // ANCHOR: dlopen
        let flags = libc::RTLD_NOW | libc::RTLD_LOCAL;
        // SAFETY: dlopen runs the library's initialisers: Rust's and jemalloc's.
        let library = unsafe { libc::dlopen(c_path.as_ptr(), flags) };
        if library.is_null() {
            return Err(format!("dlopen failed: {}", dl_error()));
        }
        // ANCHOR_END: dlopen
        // SAFETY: the library's header (probe.h) declares each symbol with exactly these types.
        let (measure_rust, begin, end) = unsafe {
            (
                std::mem::transmute::<*mut c_void, MeasureRust>(symbol(
                    library,
                    c"probe_measure_rust",
                )?),
                std::mem::transmute::<*mut c_void, Begin>(symbol(library, c"probe_begin")?),
                std::mem::transmute::<*mut c_void, End>(symbol(library, c"probe_end")?),
            )
        };
        println!("loaded {path} with libc::dlopen");
        let mut line: [c_char; 512] = [0; 512];
        for size in [100, 1 << 20] {
            // SAFETY: `line` holds `line.len()` writable bytes.
            if unsafe { measure_rust(size, line.as_mut_ptr(), line.len()) } < 0 {
                return Err(format!("the library could not measure {size} B"));
            }
            println!(
                "the library's Rust allocations, {size} B each:\n{}",
                text(&line)
            );
            // This host's own allocations go through its global allocator, System.
            let mut blocks: Vec<Vec<u8>> = Vec::with_capacity(BATCH);
            begin();
            for _ in 0..BATCH {
                blocks.push(Vec::with_capacity(size));
            }
            let first = blocks[0].as_ptr().cast();
            // SAFETY: `line` holds `line.len()` writable bytes; `first` is only compared.
            if unsafe { end(size, BATCH, first, line.as_mut_ptr(), line.len()) } < 0 {
                return Err(format!("the host could not measure {size} B"));
            }
            println!(
                "the Rust host's own allocations, {size} B each:\n{}",
                text(&line)
            );
        }
        Ok(())
    }
}

/// `dlopen` is a Unix interface.
#[cfg(not(unix))]
mod host {
    pub fn run(_path: &str) -> Result<(), String> {
        Err("rust-host loads libraries with dlopen, which this platform does not have".to_owned())
    }
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: rust-host path/to/library.so");
        return ExitCode::from(2);
    };
    match host::run(&path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
