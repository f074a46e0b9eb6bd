/* A C host that loads a Rust cdylib at run time with dlopen, as a plugin system or a scripting
 * language's extension loader does: `dlopen_host path/to/libsomething.so`. */
#include <dlfcn.h>
#include <stdio.h>

#include "probe.h"

// ANCHOR: dlopen
static void *load(const char *path) {
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        fprintf(stderr, "dlopen failed:\n  %s\n", dlerror());
    }
    return library;
}
// ANCHOR_END: dlopen

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s path/to/library.so\n", argv[0]);
        return 2;
    }
    void *library = load(argv[1]);
    if (library == NULL) {
        return 1;
    }
    struct probe_api api;
    api.measure_rust = (int (*)(size_t, char *, size_t))dlsym(library, "probe_measure_rust");
    api.begin = (void (*)(void))dlsym(library, "probe_begin");
    api.end = (int (*)(size_t, size_t, const void *, char *, size_t))dlsym(library, "probe_end");
    if (api.measure_rust == NULL || api.begin == NULL || api.end == NULL) {
        fprintf(stderr, "%s does not export the probe's functions: %s\n", argv[1], dlerror());
        return 1;
    }
    printf("loaded %s with dlopen\n", argv[1]);
    const size_t sizes[] = {100, 1 << 20};
    int status = probe_report(&api, sizes, sizeof sizes / sizeof sizes[0]);
    dlclose(library);
    return status;
}
