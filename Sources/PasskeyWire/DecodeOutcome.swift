import PasskeyProtocol
internal import CPasskeyProto

/// What `WireExecutor.decodeRequest` made of a payload.
public enum DecodeOutcome: Sendable, Equatable {
    /// A `Request`, ready for `execute`.
    case decoded(RequestSummary)
    /// Not a `Request` (MALFORMED_FRAME).
    case malformed
    /// Unpacking would take more than `budget` bytes (RESOURCE_EXHAUSTED); nothing was kept.
    case resourceExhausted(budget: Int)
}

/// A snapshot of an executor's arena.
public struct ArenaStatistics: Sendable, Equatable {
    /// Bytes handed out for the current request.
    public var used: Int
    /// The most `used` has been.
    public var usedHighWater: Int
    /// Bytes mapped beyond the main block right now (0 between requests that fit the block).
    public var mapped: Int
    /// The most `mapped` has been.
    public var mappedHighWater: Int
    /// Spill chunks mapped so far.
    public var chunksMapped: Int
    /// The main block, kept across requests.
    public var blockSize: Int

    init(_ s: passkey_arena_stats) {
        used = s.used
        usedHighWater = s.used_high_water
        mapped = s.mapped
        mappedHighWater = s.mapped_high_water
        chunksMapped = s.chunks_mapped
        blockSize = s.block_size
    }
}
