/* Uses the library as its header says: every pointer goes back to the library's free function. */
#include <inttypes.h>
#include <stdio.h>

#include "ownership.h"

// ANCHOR: correct
int main(void) {
    char *greeting = greeting_new("C host");
    printf("%s\n", greeting);
    greeting_free(greeting);

    struct Tally *tally = tally_new();
    for (uint64_t i = 1; i <= 10; i++) {
        tally_add(tally, i);
    }
    printf("tally: %" PRIu64 "\n", tally_total(tally));
    tally_free(tally);
    return 0;
}
// ANCHOR_END: correct
