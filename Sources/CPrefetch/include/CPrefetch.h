// Software prefetch for Swift, which has no way to emit it: a hint that a range of memory will be
// read soon. It never faults, even past the end of a buffer, and changes no value.
#ifndef CPREFETCH_H
#define CPREFETCH_H
#include <stddef.h>

/// Asks for every 64-byte line of [start, start + bytes), to be kept in all cache levels.
static inline void prefetch_range(const void *start, size_t bytes) {
    for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch((const char *)start + offset, 0, 3);
}

#endif
