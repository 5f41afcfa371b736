// See include/passkeyd_arena.h.
#include "passkeyd_arena.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

// Spill chunks are at least this large: few enough mmap calls per large request, and large enough that glibc would
// have served them from its own mmap (whose threshold then grows, so the next ones stay in its heap for good).
#define PASSKEY_ARENA_CHUNK_MIN ((size_t)1 << 20)
#define PASSKEY_ARENA_ALIGN ((size_t)8)

// At the start of every mapped chunk; the payload starts PASSKEY_ARENA_CHUNK_HEADER bytes in.
struct chunk {
    struct chunk *next;
    size_t size;
};
#define PASSKEY_ARENA_CHUNK_HEADER ((sizeof(struct chunk) + 15) & ~(size_t)15)

struct passkey_arena {
    ProtobufCAllocator allocator;
    unsigned char *block;
    size_t block_size;
    size_t offset;
    struct chunk *chunks;
    unsigned char *chunk_next;  // bump pointer in the chunk with the most room left
    size_t chunk_left;
    size_t used;
    size_t budget;  // 0: none
    int exhausted;
    size_t used_high_water;
    size_t mapped;
    size_t mapped_high_water;
    size_t chunks_mapped;
};

static void *arena_alloc_cb(void *data, size_t size) { return passkey_arena_alloc((passkey_arena *)data, size); }
static void arena_free_cb(void *data, void *pointer) { (void)data; (void)pointer; /* freed at reset */ }

passkey_arena *passkey_arena_create(size_t block_size) {
    passkey_arena *a = calloc(1, sizeof(*a));
    if (!a) return NULL;
    block_size &= ~(PASSKEY_ARENA_ALIGN - 1);
    a->block = malloc(block_size ? block_size : PASSKEY_ARENA_ALIGN);
    if (!a->block) { free(a); return NULL; }
    a->block_size = block_size;
    a->allocator.alloc = arena_alloc_cb;
    a->allocator.free = arena_free_cb;
    a->allocator.allocator_data = a;
    return a;
}

void passkey_arena_reset(passkey_arena *a) {
    struct chunk *c = a->chunks;
    while (c) {
        struct chunk *next = c->next;
        munmap(c, c->size);
        c = next;
    }
    a->chunks = NULL;
    a->chunk_next = NULL;
    a->chunk_left = 0;
    a->mapped = 0;
    a->offset = 0;
    a->used = 0;
    a->exhausted = 0;
}

void passkey_arena_destroy(passkey_arena *a) {
    if (!a) return;
    passkey_arena_reset(a);
    free(a->block);
    free(a);
}

// Maps a chunk for at least `aligned` bytes and returns the first `aligned` of them.
static void *arena_map(passkey_arena *a, size_t aligned) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (page == 0 || page == (size_t)-1) page = 4096;
    if (aligned > SIZE_MAX - PASSKEY_ARENA_CHUNK_HEADER - page) return NULL;
    size_t want = PASSKEY_ARENA_CHUNK_HEADER + aligned;
    size_t size = want < PASSKEY_ARENA_CHUNK_MIN ? PASSKEY_ARENA_CHUNK_MIN : (want + page - 1) / page * page;
    void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return NULL;
#ifdef MADV_NOHUGEPAGE
    // RSS should follow the bytes touched; a transparent huge page would add up to 2 MiB at once.
    if (size >= ((size_t)2 << 20)) madvise(m, size, MADV_NOHUGEPAGE);
#endif
    struct chunk *c = m;
    c->next = a->chunks;
    c->size = size;
    a->chunks = c;
    a->mapped += size;
    if (a->mapped > a->mapped_high_water) a->mapped_high_water = a->mapped;
    a->chunks_mapped++;
    unsigned char *p = (unsigned char *)m + PASSKEY_ARENA_CHUNK_HEADER;
    size_t left = size - want;
    if (left > a->chunk_left) {
        a->chunk_next = p + aligned;
        a->chunk_left = left;
    }
    return p;
}

void *passkey_arena_alloc(passkey_arena *a, size_t size) {
    size_t aligned = (size + PASSKEY_ARENA_ALIGN - 1) & ~(PASSKEY_ARENA_ALIGN - 1);
    if (aligned < size) return NULL;  // overflow
    if (a->budget && (a->used > a->budget || aligned > a->budget - a->used)) {
        a->exhausted = 1;
        return NULL;
    }
    void *p;
    if (aligned <= a->block_size - a->offset) {
        p = a->block + a->offset;
        a->offset += aligned;
    } else if (aligned <= a->chunk_left) {
        p = a->chunk_next;
        a->chunk_next += aligned;
        a->chunk_left -= aligned;
    } else {
        p = arena_map(a, aligned);
        if (!p) return NULL;
    }
    a->used += aligned;
    if (a->used > a->used_high_water) a->used_high_water = a->used;
    return p;
}

void *passkey_arena_calloc(passkey_arena *a, size_t size) {
    void *p = passkey_arena_alloc(a, size);
    if (p && size) memset(p, 0, size);
    return p;
}

char *passkey_arena_strndup(passkey_arena *a, const char *s, size_t n) {
    if (n == SIZE_MAX) return NULL;
    char *p = passkey_arena_alloc(a, n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

ProtobufCAllocator *passkey_arena_allocator(passkey_arena *a) { return &a->allocator; }

void passkey_arena_set_budget(passkey_arena *a, size_t budget) {
    a->budget = budget;
    a->exhausted = 0;
}

int passkey_arena_exhausted(const passkey_arena *a) { return a->exhausted; }

passkey_arena_stats passkey_arena_statistics(const passkey_arena *a) {
    passkey_arena_stats s;
    s.used = a->used;
    s.used_high_water = a->used_high_water;
    s.mapped = a->mapped;
    s.mapped_high_water = a->mapped_high_water;
    s.chunks_mapped = a->chunks_mapped;
    s.block_size = a->block_size;
    return s;
}

size_t passkey_arena_used(const passkey_arena *a) { return a->used; }
size_t passkey_arena_spills(const passkey_arena *a) { return a->chunks_mapped; }
