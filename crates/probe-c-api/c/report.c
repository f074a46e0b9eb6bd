/* Who serves the library's Rust allocations, and who serves this program's own malloc. */
#include <stdio.h>
#include <stdlib.h>

#include "probe.h"

/* Blocks per batch, as in the probe: glibc's per-thread cache can hide up to 7 of them. */
#define BATCH 64

// ANCHOR: host_malloc
static int measure_host_malloc(const struct probe_api *api, size_t size, char *line) {
    void *blocks[BATCH];
    size_t made = 0;
    api->begin();
    while (made < BATCH && (blocks[made] = malloc(size)) != NULL) {
        made++;
    }
    int written = -1;
    if (made == BATCH) {
        written = api->end(size, BATCH, blocks[0], line, PROBE_LINE_CAPACITY);
    }
    for (size_t i = 0; i < made; i++) {
        free(blocks[i]);
    }
    return written;
}
// ANCHOR_END: host_malloc

int probe_report(const struct probe_api *api, const size_t *sizes, size_t count) {
    char line[PROBE_LINE_CAPACITY];
    for (size_t i = 0; i < count; i++) {
        if (api->measure_rust(sizes[i], line, sizeof line) < 0) {
            fprintf(stderr, "the library could not measure its Rust allocations of %zu B\n", sizes[i]);
            return 1;
        }
        printf("the library's Rust allocations, %zu B each:\n%s\n", sizes[i], line);
        if (measure_host_malloc(api, sizes[i], line) < 0) {
            fprintf(stderr, "the host could not measure its malloc of %zu B\n", sizes[i]);
            return 1;
        }
        printf("the host's own malloc, %zu B each:\n%s\n", sizes[i], line);
    }
    return 0;
}
