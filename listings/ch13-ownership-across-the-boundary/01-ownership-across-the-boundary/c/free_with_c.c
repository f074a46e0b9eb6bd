/* The bug: a string the library allocated with jemalloc, freed with glibc's free(). */
#include <stdio.h>
#include <stdlib.h>

#include "ownership.h"

// ANCHOR: bug
int main(void) {
    char *greeting = greeting_new("C host");
    printf("%s\n", greeting);
    printf("freeing the library's string with free()\n");
    fflush(stdout);
    /* Wrong: greeting_new's memory belongs to the library's allocator. */
    free(greeting);
    printf("free() returned\n");
    return 0;
}
// ANCHOR_END: bug
