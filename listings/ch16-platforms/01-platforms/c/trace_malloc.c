// An LD_PRELOAD library that shows which of glibc's allocation functions a program calls.
//
// It defines malloc, calloc, realloc, posix_memalign and free, forwards each to glibc's own
// implementation (the __libc_* entry points glibc exports for exactly this), and, while tracing
// is on, writes one line per call to stderr. The program switches tracing on and off through
// trace_allocations(), which it finds with dlsym. Writing uses write(2) and a stack buffer:
// printf could allocate, and would come back here.
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *ptr);

static atomic_int tracing;

// ANCHOR: switch
// Called by the traced program: 1 starts tracing, 0 stops it.
void trace_allocations(int on) { atomic_store(&tracing, on); }
// ANCHOR_END: switch

// Appends the decimal digits of `value` to `out`; returns the new end.
static char *append_number(char *out, size_t value) {
    char digits[24];
    int count = 0;
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (count > 0) {
        *out++ = digits[--count];
    }
    return out;
}

static char *append_text(char *out, const char *text) {
    size_t length = strlen(text);
    memcpy(out, text, length);
    return out + length;
}

// Writes "  name(first, second)\n", with only the arguments that are given (count 0, 1 or 2).
static void say(const char *name, int count, size_t first, size_t second) {
    if (!atomic_load(&tracing)) {
        return;
    }
    char line[96];
    char *end = append_text(line, "  ");
    end = append_text(end, name);
    *end++ = '(';
    if (count >= 1) {
        end = append_number(end, first);
    }
    if (count == 2) {
        end = append_text(end, ", ");
        end = append_number(end, second);
    }
    end = append_text(end, ")\n");
    ssize_t written = write(STDERR_FILENO, line, (size_t)(end - line));
    (void)written;
}

// ANCHOR: wrappers
void *malloc(size_t size) {
    say("malloc", 1, size, 0);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    say("calloc", 2, count, size);
    return __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size) {
    say("realloc", 1, size, 0);
    return __libc_realloc(ptr, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    say("posix_memalign", 2, alignment, size);
    void *block = __libc_memalign(alignment, size);
    if (block == NULL) {
        return ENOMEM;
    }
    *out = block;
    return 0;
}

void free(void *ptr) {
    if (ptr != NULL) {
        say("free", 0, 0, 0);
    }
    __libc_free(ptr);
}
// ANCHOR_END: wrappers
