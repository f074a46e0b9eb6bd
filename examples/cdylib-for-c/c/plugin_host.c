/* A C program that loads the library at run time, as a plugin: `plugin_host path/to/lib.so`. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s path/to/the/library.so\n", argv[0]);
        return 2;
    }
    void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        fprintf(stderr, "dlopen failed: %s\n", dlerror());
        return 1;
    }
    char *(*shout)(const char *) = (char *(*)(const char *))dlsym(library, "cdylib_for_c_shout");
    void (*string_free)(char *) = (void (*)(char *))dlsym(library, "cdylib_for_c_string_free");
    if (shout == NULL || string_free == NULL) {
        fprintf(stderr, "missing symbols: %s\n", dlerror());
        return 1;
    }
    char *shouted = shout("loaded with dlopen");
    printf("%s\n", shouted);
    string_free(shouted);
    dlclose(library);
    return 0;
}
