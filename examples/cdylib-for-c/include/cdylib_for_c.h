/* cdylib-for-c: a Rust library with a C interface. Its allocations come from jemalloc;
 * on Windows with MSVC, from Rust's System allocator (HeapAlloc on the process heap). Either
 * way they are not the C runtime's: every pointer it returns goes back through its own free
 * function, never free(). */
#ifndef CDYLIB_FOR_C_H
#define CDYLIB_FOR_C_H

#include <stdint.h>

/* `text` in upper case, owned by the caller: free it with cdylib_for_c_string_free(). */
char *cdylib_for_c_shout(const char *text);

/* Frees a string from this library. NULL is ignored. */
void cdylib_for_c_string_free(char *text);

/* Bytes jemalloc has allocated on the calling thread so far, for checks and diagnostics.
 * Always 0 where the library does not use jemalloc (Windows with MSVC). */
uint64_t cdylib_for_c_jemalloc_allocated(void);

#endif
