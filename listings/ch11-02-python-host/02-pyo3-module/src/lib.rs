//! A Python extension module, built with PyO3, whose global allocator is jemalloc. Each function
//! measures one kind of allocation with chapter 3's probe and returns the reading's line, for the
//! Python script that imports the module to print.
//!
//! No example: Cargo runs no doctests for a crate that is only a `cdylib`; Python imports it
//! in `listings/ch11-02-python-host/01-python-host/tests/ch11_02_python_host/pyo3_module.rs`.

use std::ptr;

use ch03_probe::Probe;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

// ANCHOR: global
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
// ANCHOR_END: global

// ANCHOR: functions
/// The module's own Rust allocations: 64 `Vec` buffers of `size` bytes.
#[pyfunction]
fn rust_batch(size: usize) -> String {
    Probe::new().measure(size).to_string()
}

/// Allocations PyO3 makes for you in Rust: a Python `str` extracted as a `String`,
/// 64 times.
#[pyfunction]
fn extracted_strings(text: &Bound<'_, PyString>) -> PyResult<String> {
    let size = text.to_str()?.len();
    let mut reading = Probe::new().measure_with(
        size,
        |_| {
            let owned: String = text
                .extract()
                .expect("the same str converted with to_str above");
            Box::into_raw(owned.into_boxed_str()).cast::<u8>()
        },
        |block| {
            let block = ptr::slice_from_raw_parts_mut(block, size) as *mut str;
            // SAFETY: a block is a `Box<str>` of `size` bytes from the closure above.
            drop(unsafe { Box::from_raw(block) })
        },
    );
    // jemalloc's process-wide `stats.allocated` moved by a varying amount around these
    // batches (measured with CPython 3.11), so it is left out: the thread counter and
    // `arenas.lookup` give the verdict.
    reading.jemalloc_stats = None;
    Ok(reading.to_string())
}

/// Python objects that PyO3 creates for you: 64 `bytes` objects of `size` bytes.
#[pyfunction]
fn python_objects(py: Python<'_>, size: usize) -> String {
    Probe::new()
        .measure_with(
            size,
            |size| {
                PyBytes::new_with(py, size, |_| Ok(()))
                    .expect("Python had memory for a bytes object")
                    .into_ptr()
                    .cast::<u8>()
            },
            // SAFETY: a new reference from `into_ptr` above, dropped once here.
            |block| drop(unsafe { Bound::from_owned_ptr(py, block.cast()) }),
        )
        .to_string()
}
// ANCHOR_END: functions

// ANCHOR: module
#[pymodule]
fn ch11_pyo3(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(rust_batch, module)?)?;
    module.add_function(wrap_pyfunction!(extracted_strings, module)?)?;
    module.add_function(wrap_pyfunction!(python_objects, module)?)?;
    Ok(())
}
// ANCHOR_END: module
