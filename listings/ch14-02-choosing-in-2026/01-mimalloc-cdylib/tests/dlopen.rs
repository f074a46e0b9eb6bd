//! The mimalloc cdylib, read from its file and loaded with `dlopen` by this test process (a Rust
//! host on System). glibc's static TLS rules and its `dlopen` are what chapter 11 measures.
// glibc's static TLS rules under dlopen are what this test measures: Linux with glibc only.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::ffi::{CStr, CString, c_void};
use std::sync::OnceLock;

use book_harness::c::RustLibrary;
use ch03_probe::tls::ThreadLocalStorage;

/// glibc's default spare room for libraries loaded later that need static TLS
/// (`glibc.rtld.optional_static_tls`, 512 bytes by the glibc manual).
const GLIBC_SPARE_STATIC_TLS: u64 = 512;

const BATCH: usize = 64;
const BLOCK: usize = 100;

fn library() -> &'static RustLibrary {
    static LIBRARY: OnceLock<RustLibrary> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        RustLibrary::build("ch14-02-mimalloc-cdylib", "libch14_02_mimalloc_cdylib.so")
    })
}

/// The last `dlopen`/`dlsym` error, as text.
fn dl_error() -> String {
    // SAFETY: dlerror returns null or a NUL-terminated message valid until the next dl* call on
    // this thread; it is copied at once.
    let message = unsafe { libc::dlerror() };
    if message.is_null() {
        return "no error reported".to_owned();
    }
    // SAFETY: non-null, so a NUL-terminated string from dlerror.
    unsafe { CStr::from_ptr(message) }
        .to_string_lossy()
        .into_owned()
}

fn symbol(library: *mut c_void, name: &CStr) -> *mut c_void {
    // SAFETY: `library` is a live handle from dlopen and `name` a NUL-terminated string.
    let address = unsafe { libc::dlsym(library, name.as_ptr()) };
    assert!(
        !address.is_null(),
        "no {name:?} in the library: {}",
        dl_error()
    );
    address
}

#[test]
fn the_mimalloc_cdylib_needs_static_tls_but_less_than_glibcs_spare_room() {
    let tls = ThreadLocalStorage::read(&library().path).unwrap_or_else(|err| panic!("{err}"));
    println!("{}: {tls:?}", library().path.display());
    assert!(
        tls.static_tls,
        "expected the STATIC_TLS flag: libmimalloc-sys compiles mimalloc for initial-exec TLS; \
         read {tls:?}"
    );
    assert!(
        tls.block_size > 0 && tls.block_size < GLIBC_SPARE_STATIC_TLS,
        "expected a TLS block under {GLIBC_SPARE_STATIC_TLS} bytes; read {tls:?}"
    );
}

#[test]
fn a_host_loads_the_mimalloc_cdylib_with_dlopen_and_each_side_keeps_its_allocator() {
    let path = CString::new(library().path.to_string_lossy().into_owned()).expect("no NUL");
    // SAFETY: dlopen runs the library's initialisers, which are Rust's and mimalloc's.
    let handle = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
    assert!(!handle.is_null(), "dlopen failed: {}", dl_error());
    // SAFETY: src/lib.rs exports both functions with exactly these signatures.
    let (owned, owns) = unsafe {
        (
            std::mem::transmute::<*mut c_void, extern "C" fn(usize, usize) -> usize>(symbol(
                handle,
                c"mimalloc_cdylib_owned",
            )),
            std::mem::transmute::<*mut c_void, extern "C" fn(usize) -> bool>(symbol(
                handle,
                c"mimalloc_cdylib_owns",
            )),
        )
    };
    // The library's own allocations: mimalloc's.
    let in_mimalloc = owned(BATCH, BLOCK);
    assert_eq!(
        in_mimalloc, BATCH,
        "mimalloc holds {in_mimalloc} of the library's {BATCH} blocks; expected all"
    );
    // This host's allocations: System's, outside mimalloc's heap.
    let host: Vec<Vec<u8>> = (0..BATCH).map(|_| Vec::with_capacity(BLOCK)).collect();
    let claimed = host.iter().filter(|b| owns(b.as_ptr() as usize)).count();
    assert_eq!(
        claimed, 0,
        "mimalloc claims {claimed} of the host's {BATCH} blocks; expected none"
    );
}
