#ifndef PASSKEYD_ARENA_H
#define PASSKEYD_ARENA_H
// A bump allocator handed to protobuf-c (ProtobufCAllocator) so that unpacking a request and building a response cost
// no malloc in steady state: one main block per worker thread, kept, reset after every request. Requests larger than
// the block spill into chunks mapped with mmap (at least 1 MiB each) that the next reset unmaps, so a large request's
// memory goes back to the operating system instead of staying in malloc's free lists.
//
// A budget caps the bytes handed out since the last reset: past it an allocation fails (protobuf-c then fails the
// unpack cleanly) and the arena remembers that it was the budget, not the input, that stopped it.
#include <stddef.h>
#include <protobuf-c/protobuf-c.h>

typedef struct passkey_arena passkey_arena;

/// Counters for tests and metrics (all in bytes except `chunks_mapped`).
typedef struct passkey_arena_stats {
    /// Handed out since the last reset (allocations rounded up to 8 bytes).
    size_t used;
    /// The most `used` has been since creation.
    size_t used_high_water;
    /// Currently mapped in spill chunks (0 after a reset).
    size_t mapped;
    /// The most `mapped` has been since creation.
    size_t mapped_high_water;
    /// Spill chunks mapped since creation (steady state should not grow this).
    size_t chunks_mapped;
    /// The main block's size (kept across resets).
    size_t block_size;
} passkey_arena_stats;

passkey_arena *passkey_arena_create(size_t block_size);
void passkey_arena_destroy(passkey_arena *arena);
/// Forgets every allocation: unmaps spill chunks, keeps the main block, clears the exhausted flag. The budget stays.
void passkey_arena_reset(passkey_arena *arena);
/// 8-byte aligned (every protobuf-c struct needs at most that), uninitialised; NULL when the budget or the system
/// refuses.
void *passkey_arena_alloc(passkey_arena *arena, size_t size);
/// Zeroed allocation (for building protobuf-c structs before calling their __init).
void *passkey_arena_calloc(passkey_arena *arena, size_t size);
/// A NUL-terminated copy of `n` bytes.
char *passkey_arena_strndup(passkey_arena *arena, const char *s, size_t n);
/// The allocator to pass to `*__unpack`.
ProtobufCAllocator *passkey_arena_allocator(passkey_arena *arena);
/// Caps `used` (bytes since the last reset); 0 removes the cap.
void passkey_arena_set_budget(passkey_arena *arena, size_t budget);
/// 1 when an allocation was refused for the budget since the last reset (or since the budget was set).
int passkey_arena_exhausted(const passkey_arena *arena);
passkey_arena_stats passkey_arena_statistics(const passkey_arena *arena);
/// Bytes handed out since the last reset.
size_t passkey_arena_used(const passkey_arena *arena);
/// Spill chunks mapped since creation.
size_t passkey_arena_spills(const passkey_arena *arena);

#endif
