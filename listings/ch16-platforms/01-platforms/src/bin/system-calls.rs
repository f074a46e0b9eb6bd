//! Allocates through `std::alloc::System` in each way Rust can ask, and labels each step, so that
//! an LD_PRELOAD tracer (`c/trace_malloc.c`) can show which C function serves it. This program
//! declares no `#[global_allocator]`: every `Box` and `Vec` goes to `System`.

#[cfg(unix)]
mod traced {
    use std::alloc::{self, Layout};
    use std::ffi::c_int;
    use std::hint::black_box;

    type Switch = unsafe extern "C" fn(c_int);

    /// The tracer's `trace_allocations`, when it is preloaded.
    fn tracer() -> Option<Switch> {
        // SAFETY: dlsym with RTLD_DEFAULT and a NUL-terminated name only looks the symbol up.
        let symbol = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"trace_allocations".as_ptr()) };
        // SAFETY: when present, `trace_allocations` is `void trace_allocations(int)` (the C
        // file defines it so), which is what `Switch` describes.
        (!symbol.is_null())
            .then(|| unsafe { std::mem::transmute::<*mut libc::c_void, Switch>(symbol) })
    }

    /// Prints `label`, then runs `step` with tracing on.
    fn step(switch: Switch, label: &str, step: impl FnOnce()) {
        println!("{label}");
        // SAFETY: `switch` is the tracer's `trace_allocations`, which takes 0 or 1.
        unsafe { switch(1) };
        step();
        // SAFETY: as above.
        unsafe { switch(0) };
    }

    /// Allocates `size` bytes aligned to `align` through the global allocator, optionally zeroed,
    /// optionally grows it to `grow_to`, then frees it.
    fn raw(size: usize, align: usize, zeroed: bool, grow_to: Option<usize>) {
        let layout = Layout::from_size_align(size, align).expect("a valid layout");
        // SAFETY: non-zero size; the block is freed once, with the layout it has at that point.
        unsafe {
            let block = if zeroed {
                alloc::alloc_zeroed(layout)
            } else {
                alloc::alloc(layout)
            };
            assert!(!block.is_null(), "allocation failed");
            let (block, layout) = match grow_to {
                Some(new_size) => (
                    alloc::realloc(block, layout, new_size),
                    Layout::from_size_align(new_size, align).expect("a valid layout"),
                ),
                None => (block, layout),
            };
            assert!(!block.is_null(), "reallocation failed");
            alloc::dealloc(block, layout);
        }
    }

    pub fn main() {
        let Some(switch) = tracer() else {
            eprintln!(
                "no tracer: run with LD_PRELOAD pointing at the library built from c/trace_malloc.c"
            );
            std::process::exit(2);
        };
        // ANCHOR: steps
        step(switch, "Box::new([7u8; 100])", || {
            drop(black_box(Box::new([7u8; 100])))
        });
        step(switch, "vec![0u8; 5000]", || {
            drop(black_box(vec![0u8; 5000]))
        });
        step(
            switch,
            "Vec::with_capacity(100), then reserve_exact(8000)",
            || {
                let mut bytes = Vec::<u8>::with_capacity(100);
                bytes.reserve_exact(8000);
                drop(black_box(bytes));
            },
        );
        step(switch, "alloc: 100 bytes aligned to 4096", || {
            raw(100, 4096, false, None)
        });
        step(switch, "alloc_zeroed: 100 bytes aligned to 4096", || {
            raw(100, 4096, true, None)
        });
        step(switch, "realloc: 100 to 8000 bytes aligned to 4096", || {
            raw(100, 4096, false, Some(8000))
        });
        // ANCHOR_END: steps
    }
}

#[cfg(unix)]
fn main() {
    traced::main();
}

#[cfg(not(unix))]
fn main() {
    eprintln!("this program traces the C library's malloc through LD_PRELOAD, which needs Unix");
    std::process::exit(2);
}
