"""Loads the cdylib-for-c template with ctypes and shows who serves what.

Usage: python3 ctypes_host.py path/to/libcdylib_for_c.so
"""

import ctypes
import sys

# ANCHOR: load
library = ctypes.CDLL(sys.argv[1])
library.cdylib_for_c_shout.argtypes = [ctypes.c_char_p]
# c_void_p, not c_char_p: the result must stay a pointer, for the library's free.
library.cdylib_for_c_shout.restype = ctypes.c_void_p
library.cdylib_for_c_string_free.argtypes = [ctypes.c_void_p]
library.cdylib_for_c_string_free.restype = None
library.cdylib_for_c_jemalloc_allocated.argtypes = []
library.cdylib_for_c_jemalloc_allocated.restype = ctypes.c_uint64
# ANCHOR_END: load


# ANCHOR: glibc
class Mallinfo2(ctypes.Structure):
    """glibc's struct mallinfo2: ten size_t counters."""

    _fields_ = [
        (name, ctypes.c_size_t)
        for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                     "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")
    ]


# CDLL(None): the symbols already in the process, glibc's mallinfo2 among them.
libc = ctypes.CDLL(None)
libc.mallinfo2.argtypes = []
libc.mallinfo2.restype = Mallinfo2


def glibc_in_use():
    """Bytes glibc's malloc has handed out and not taken back."""
    info = libc.mallinfo2()
    return info.uordblks + info.hblkhd
# ANCHOR_END: glibc


def report(label, allocate):
    """Calls allocate(), prints what jemalloc and glibc each handed out meanwhile."""
    glibc_before = glibc_in_use()
    jemalloc_before = library.cdylib_for_c_jemalloc_allocated()
    result = allocate()
    jemalloc = library.cdylib_for_c_jemalloc_allocated() - jemalloc_before
    glibc = glibc_in_use() - glibc_before
    print(f"{label}: jemalloc +{jemalloc} B, glibc +{glibc} B")
    return result


# Above glibc's per-thread cache, below its mmap threshold.
SIZE = 65536
text = b"a" * (SIZE - 1)

# ANCHOR: shout
pointer = report("library", lambda: library.cdylib_for_c_shout(text))
shouted = ctypes.string_at(pointer)  # a copy, into a Python bytes object
library.cdylib_for_c_string_free(pointer)  # the library's free, never libc's free()
# ANCHOR_END: shout
print(f"the library returned {len(shouted)} bytes: {shouted[:5].decode()}...")

# ANCHOR: python
own = report("python bytearray", lambda: bytearray(SIZE))
# ANCHOR_END: python

# ANCHOR: char_p
library.cdylib_for_c_shout.restype = ctypes.c_char_p
result = library.cdylib_for_c_shout(b"lost")
kind = type(result).__name__
print(f"with restype c_char_p: {kind} {result!r}, and no pointer to free")
# ANCHOR_END: char_p
