#ifndef PASSKEYD_ARENA_H
#define PASSKEYD_ARENA_H
// A bump allocator handed to protobuf-c (ProtobufCAllocator) so that unpacking a request and building a response cost
// no malloc in steady state: one block per worker thread, reset after every request. Requests larger than the block
// spill into malloc'd chunks that the next reset frees.
#include <stddef.h>
#include <protobuf-c/protobuf-c.h>

typedef struct passkey_arena passkey_arena;

passkey_arena *passkey_arena_create(size_t block_size);
void passkey_arena_destroy(passkey_arena *arena);
/// Forgets every allocation (frees spilled chunks, keeps the main block).
void passkey_arena_reset(passkey_arena *arena);
/// 16-byte aligned, uninitialised; NULL only if malloc fails.
void *passkey_arena_alloc(passkey_arena *arena, size_t size);
/// Zeroed allocation (for building protobuf-c structs before calling their __init).
void *passkey_arena_calloc(passkey_arena *arena, size_t size);
/// A NUL-terminated copy of `n` bytes.
char *passkey_arena_strndup(passkey_arena *arena, const char *s, size_t n);
/// The allocator to pass to `*__unpack`.
ProtobufCAllocator *passkey_arena_allocator(passkey_arena *arena);
/// Bytes handed out since the last reset (for tests and metrics).
size_t passkey_arena_used(const passkey_arena *arena);
/// Chunks spilled to malloc since creation (steady state should not grow this).
size_t passkey_arena_spills(const passkey_arena *arena);

#endif
