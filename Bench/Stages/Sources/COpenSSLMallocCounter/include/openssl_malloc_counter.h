// Counts the allocations libcrypto makes itself (through CRYPTO_set_mem_functions), so a benchmark can tell OpenSSL's
// mallocs from passkeyd's own. The hooks are installed by a load-time constructor, before any OpenSSL allocation.
#ifndef PASSKEYD_OPENSSL_MALLOC_COUNTER_H
#define PASSKEYD_OPENSSL_MALLOC_COUNTER_H

#include <stdint.h>

/// 1 when the counting hooks are installed (OpenSSL refuses them once it has allocated anything).
int stages_openssl_counter_installed(void);

/// Allocations (malloc and realloc calls) OpenSSL made since the process started, on any thread.
int64_t stages_openssl_malloc_count(void);

#endif
