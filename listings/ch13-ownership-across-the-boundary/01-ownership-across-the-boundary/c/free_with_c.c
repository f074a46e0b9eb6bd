/* The bug: a string the library allocated with jemalloc, freed with glibc's free(). */
#include <stdio.h>
#include <stdlib.h>

#include "ownership.h"

int main(void) {
    char *greeting = greeting_new("C host");
    printf("%s\n", greeting);
    printf("freeing the library's string with free()\n");
    fflush(stdout);
    // ANCHOR: bug
    free(greeting); /* wrong: greeting_new's memory belongs to the library's allocator */
    // ANCHOR_END: bug
    printf("free() returned\n");
    return 0;
}
