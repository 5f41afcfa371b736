// See include/passkeyd_arena.h.
#include "passkeyd_arena.h"
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

struct spill {
    struct spill *next;
};

struct passkey_arena {
    ProtobufCAllocator allocator;
    unsigned char *block;
    size_t block_size;
    size_t offset;
    struct spill *spills;
    size_t used;
    size_t spill_count;
};

static void *arena_alloc_cb(void *data, size_t size) { return passkey_arena_alloc((passkey_arena *)data, size); }
static void arena_free_cb(void *data, void *pointer) { (void)data; (void)pointer; /* freed at reset */ }

passkey_arena *passkey_arena_create(size_t block_size) {
    passkey_arena *a = calloc(1, sizeof(*a));
    if (!a) return NULL;
    a->block = malloc(block_size);
    if (!a->block) { free(a); return NULL; }
    a->block_size = block_size;
    a->allocator.alloc = arena_alloc_cb;
    a->allocator.free = arena_free_cb;
    a->allocator.allocator_data = a;
    return a;
}

void passkey_arena_reset(passkey_arena *a) {
    struct spill *s = a->spills;
    while (s) {
        struct spill *next = s->next;
        free(s);
        s = next;
    }
    a->spills = NULL;
    a->offset = 0;
    a->used = 0;
}

void passkey_arena_destroy(passkey_arena *a) {
    if (!a) return;
    passkey_arena_reset(a);
    free(a->block);
    free(a);
}

void *passkey_arena_alloc(passkey_arena *a, size_t size) {
    size_t aligned = (size + 15) & ~(size_t)15;
    if (aligned < size) return NULL; // overflow
    a->used += aligned;
    if (aligned <= a->block_size - a->offset) {
        void *p = a->block + a->offset;
        a->offset += aligned;
        return p;
    }
    // Spill: a separate chunk with a 16-byte header that links it for the next reset.
    if (aligned > SIZE_MAX - 16) return NULL;
    struct spill *s = malloc(16 + aligned);
    if (!s) return NULL;
    s->next = a->spills;
    a->spills = s;
    a->spill_count++;
    return (unsigned char *)s + 16;
}

void *passkey_arena_calloc(passkey_arena *a, size_t size) {
    void *p = passkey_arena_alloc(a, size);
    if (p) memset(p, 0, size);
    return p;
}

char *passkey_arena_strndup(passkey_arena *a, const char *s, size_t n) {
    char *p = passkey_arena_alloc(a, n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

ProtobufCAllocator *passkey_arena_allocator(passkey_arena *a) { return &a->allocator; }
size_t passkey_arena_used(const passkey_arena *a) { return a->used; }
size_t passkey_arena_spills(const passkey_arena *a) { return a->spill_count; }
