/* A Rust library that hands memory to C. Every pointer it returns is freed by the library's own
 * function for it: the library allocates with jemalloc, and C's free() belongs to glibc. */
#ifndef OWNERSHIP_H
#define OWNERSHIP_H

#include <stdint.h>

// ANCHOR: api
/* "Hello, <name>!", owned by the caller: free it with greeting_free(), never free(). */
char *greeting_new(const char *name);
void greeting_free(char *greeting);

/* A running total behind an opaque pointer: free it with tally_free(). */
struct Tally;
struct Tally *tally_new(void);
void tally_add(struct Tally *tally, uint64_t amount);
uint64_t tally_total(const struct Tally *tally);
void tally_free(struct Tally *tally);
// ANCHOR_END: api

#endif
