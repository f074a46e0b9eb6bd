/* The probe of chapter 3, exported by a Rust library for the C program that links or loads it.
 * Each measuring function writes one reading, two lines ("verdict=... size=...", then
 * "  glibc=... jemalloc_thread=..."), into `line` as a NUL-terminated string and returns
 * its length, or -1 (with a message on stderr) when `line` is too small or the calls are
 * out of order. */
#ifndef PROBE_H
#define PROBE_H

#include <stddef.h>

/* Enough for any reading. */
#define PROBE_LINE_CAPACITY 512

// ANCHOR: functions
/* Measures 64 blocks of `size` bytes that the library's own Rust code allocates. */
int probe_measure_rust(size_t size, char *line, size_t capacity);

/* Takes the readings before the caller allocates a batch itself... */
void probe_begin(void);

/* ...and after: `count` blocks of `size` bytes, the first at `first`. Same thread. */
int probe_end(size_t size, size_t count, const void *first, char *line,
              size_t capacity);
// ANCHOR_END: functions

/* The three functions as a table: a host that links the library fills it with the functions
 * themselves, a host that loads it with dlopen fills it with dlsym. */
struct probe_api {
    int (*measure_rust)(size_t size, char *line, size_t capacity);
    void (*begin)(void);
    int (*end)(size_t size, size_t count, const void *first, char *line, size_t capacity);
};

/* In c/report.c: for each size, measures the library's Rust allocations, then the caller's own
 * malloc, and prints a title and the reading for each. Returns 0, or 1 when a measurement failed. */
int probe_report(const struct probe_api *api, const size_t *sizes, size_t count);

#endif
