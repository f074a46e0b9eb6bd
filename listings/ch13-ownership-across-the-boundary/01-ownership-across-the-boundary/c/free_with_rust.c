/* The opposite bug: a string from glibc's malloc, handed to the library to free with jemalloc. */
#include <stdio.h>
#include <string.h>

#include "ownership.h"

// ANCHOR: bug
int main(void) {
    char *copy = strdup("a string from malloc");
    if (copy == NULL) {
        return 1;
    }
    printf("handing a malloc'd string to greeting_free()\n");
    fflush(stdout);
    /* Wrong: greeting_free only takes what greeting_new returned. */
    greeting_free(copy);
    printf("greeting_free() returned; asking for a new greeting\n");
    fflush(stdout);
    char *greeting = greeting_new("the C program");
    printf("%s\n", greeting);
    greeting_free(greeting);
    return 0;
}
// ANCHOR_END: bug
