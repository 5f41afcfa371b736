#ifndef PASSKEYD_SYSTEM_H
#define PASSKEYD_SYSTEM_H
// libc facilities Swift's Glibc module does not expose, each behind one inline function. Only the passkeyd
// executable imports this module.
#if defined(__GLIBC__)
#include <malloc.h>
#endif

// Blocks at least `bytes` large come from mmap and return to the system when freed. Setting the threshold also stops
// glibc from raising it after the first large free, which would keep 1 MiB frame buffers in the heap for good.
// Returns 1 on success, 0 where the C library has no such knob.
static inline int passkey_set_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}

#endif
