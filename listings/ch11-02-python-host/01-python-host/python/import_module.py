"""Imports the PyO3 module ch11_pyo3 from a directory and shows who serves what.

Usage: python3 import_module.py path/to/directory/with/ch11_pyo3.so
"""

import sys

# ANCHOR: import
sys.path.insert(0, sys.argv[1])
import ch11_pyo3  # noqa: E402 (CPython loads the module's file with dlopen here)
# ANCHOR_END: import

# ANCHOR: measure
for size in (100, 1048576):
    print(f"the module's Rust allocations, {size} B each:")
    print(ch11_pyo3.rust_batch(size))
    print(f"PyO3 extracting a str of {size} characters into a String:")
    print(ch11_pyo3.extracted_strings("a" * size))
    print(f"bytes objects that PyO3 creates, {size} B each:")
    print(ch11_pyo3.python_objects(size))
# ANCHOR_END: measure
