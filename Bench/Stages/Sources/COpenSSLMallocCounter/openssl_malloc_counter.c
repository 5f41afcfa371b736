// See include/openssl_malloc_counter.h.
#include "openssl_malloc_counter.h"

#include <openssl/crypto.h>
#include <stdatomic.h>
#include <stdlib.h>

static _Atomic int64_t g_count;
static int g_installed;

static void *counting_malloc(size_t n, const char *file, int line) {
    (void)file; (void)line;
    atomic_fetch_add_explicit(&g_count, 1, memory_order_relaxed);
    return malloc(n);
}

static void *counting_realloc(void *p, size_t n, const char *file, int line) {
    (void)file; (void)line;
    // The malloc interposer counts every realloc as an allocation; so do we.
    atomic_fetch_add_explicit(&g_count, 1, memory_order_relaxed);
    return realloc(p, n);
}

static void counting_free(void *p, const char *file, int line) {
    (void)file; (void)line;
    free(p);
}

__attribute__((constructor)) static void install(void) {
    g_installed = CRYPTO_set_mem_functions(counting_malloc, counting_realloc, counting_free);
}

int stages_openssl_counter_installed(void) { return g_installed; }

int64_t stages_openssl_malloc_count(void) { return atomic_load_explicit(&g_count, memory_order_relaxed); }
