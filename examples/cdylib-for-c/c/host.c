/* A C program that uses the library, linked at build time. It also shows who serves what:
 * jemalloc's counter (from the library) and glibc's (mallinfo2) around each allocation. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdylib_for_c.h"

/* Large enough that glibc's per-thread cache cannot hide it, small enough to stay off mmap. */
#define SIZE 65536

static long long glibc_in_use(void) {
    struct mallinfo2 info = mallinfo2();
    return (long long)(info.uordblks + info.hblkhd);
}

int main(void) {
    char *text = malloc(SIZE);
    if (text == NULL) {
        return 1;
    }
    memset(text, 'a', SIZE - 1);
    text[SIZE - 1] = '\0';

    long long glibc_before = glibc_in_use();
    uint64_t jemalloc_before = cdylib_for_c_jemalloc_allocated();
    char *shouted = cdylib_for_c_shout(text);
    printf("library: jemalloc +%llu B, glibc +%lld B\n",
           (unsigned long long)(cdylib_for_c_jemalloc_allocated() - jemalloc_before),
           glibc_in_use() - glibc_before);
    if (shouted == NULL || shouted[0] != 'A') {
        return 1;
    }
    cdylib_for_c_string_free(shouted); /* the library's free, never free() */

    glibc_before = glibc_in_use();
    jemalloc_before = cdylib_for_c_jemalloc_allocated();
    char *own = malloc(SIZE);
    printf("host malloc: jemalloc +%llu B, glibc +%lld B\n",
           (unsigned long long)(cdylib_for_c_jemalloc_allocated() - jemalloc_before),
           glibc_in_use() - glibc_before);
    free(own);
    free(text);
    return 0;
}
