/* A C host linked against a Rust library at build time: the dynamic loader maps the library
 * before main runs (a cdylib), or the library is inside the executable (a staticlib). */
#include "probe.h"

// ANCHOR: table
int main(void) {
    const struct probe_api api = {probe_measure_rust, probe_begin, probe_end};
    const size_t sizes[] = {100, 1 << 20};
    return probe_report(&api, sizes, sizeof sizes / sizeof sizes[0]);
}
// ANCHOR_END: table
