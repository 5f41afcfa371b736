import Synchronization

/// What a replay store says about an issued challenge it was asked to record.
public enum ReplayVerdict: Sendable, Hashable {
    /// Recorded now: this is the challenge's first use.
    case firstUse
    /// Already recorded, or (embedded store) its record may have been evicted: refused, fail closed.
    case reused
    /// The store could not be asked (the shared store is unreachable): nothing was decided.
    case unavailable
}

/// Records each issued challenge once, until it expires. The embedded store answers at once; a shared one (Redis)
/// answers asynchronously, from the transport, which then calls `PendingAuthentication.complete(_:)`.
public protocol ChallengeReplayStore: Sendable {
    func record(_ challenge: IssuedChallenge, nowMs: Int64) -> ReplayVerdict
}

enum ChallengeReplay {
    static func reused(_ c: IssuedChallenge) -> WebAuthnError {
        WebAuthnError(.challengeReused, "the challenge has already been used (each issued challenge verifies once)")
    }
}

/// The embedded replay store: an in-process record of used challenges, bounded, sharded by key.
///
/// Records expire with their challenge. When a shard is full, the record with the earliest expiry goes first, and
/// the shard remembers the latest expiry it has evicted: any challenge expiring at or before that which it has no
/// record of is refused as reused — it cannot prove the challenge was not used, so it fails closed. Per process:
/// replicas that share challenges need the shared store (Redis).
public final class InMemoryReplayStore: ChallengeReplayStore {
    private let shards: [ShardBox]
    public let capacity: Int

    /// Fewer records than this per shard and the hash's unevenness fills one shard (which then evicts and fails
    /// closed) while the store as a whole still has room; small stores therefore use fewer shards.
    static let minimumPerShard = 1024

    public init(capacity: Int = 1_000_000, shardCount: Int = 16) {
        let n = max(1, min(shardCount, max(1, capacity) / Self.minimumPerShard))
        self.capacity = max(1, capacity)
        let perShard = (self.capacity + n - 1) / n
        shards = (0..<n).map { _ in ShardBox(capacity: perShard) }
    }

    public func record(_ challenge: IssuedChallenge, nowMs: Int64) -> ReplayVerdict {
        var hasher = Hasher()
        hasher.combine(challenge.replayKey)
        let shard = shards[Int(UInt(bitPattern: hasher.finalize()) % UInt(shards.count))]
        return shard.mutex.withLock { $0.record(challenge.replayKey, expiresAtMs: challenge.expiresAtMs, nowMs: nowMs) }
    }

    /// Records kept, across shards (tests, metrics).
    public var count: Int { shards.reduce(0) { $0 + $1.mutex.withLock { $0.expiries.count } } }

    private final class ShardBox: Sendable {
        let mutex: Mutex<Shard>
        init(capacity: Int) { mutex = Mutex(Shard(capacity: capacity)) }
    }

    /// Keys with their expiry, and a min-heap of (expiry, key) to find the earliest expiry in O(log n).
    private struct Shard: ~Copyable {
        let capacity: Int
        var expiries: [[UInt8]: Int64] = [:]
        var heap: [(expiresAtMs: Int64, key: [UInt8])] = []
        /// The latest expiry evicted before its time: challenges expiring up to it may be unrecorded replays.
        var evictedThrough: Int64 = .min

        init(capacity: Int) { self.capacity = capacity }

        mutating func record(_ key: [UInt8], expiresAtMs: Int64, nowMs: Int64) -> ReplayVerdict {
            // Expired records can go: their challenges are refused as expired before they get here.
            while let top = heap.first, top.expiresAtMs < nowMs {
                popMin()
                if expiries[top.key] == top.expiresAtMs { expiries[top.key] = nil }
            }
            if expiries[key] != nil { return .reused }
            if expiresAtMs <= evictedThrough { return .reused }
            if expiries.count >= capacity, let victim = heap.first {
                popMin()
                expiries[victim.key] = nil
                evictedThrough = max(evictedThrough, victim.expiresAtMs)
                if expiresAtMs <= evictedThrough { return .reused }
            }
            expiries[key] = expiresAtMs
            push((expiresAtMs, key))
            return .firstUse
        }

        mutating func push(_ e: (expiresAtMs: Int64, key: [UInt8])) {
            heap.append(e)
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard heap[parent].expiresAtMs > heap[i].expiresAtMs else { break }
                heap.swapAt(parent, i)
                i = parent
            }
        }

        mutating func popMin() {
            guard !heap.isEmpty else { return }
            heap.swapAt(0, heap.count - 1)
            heap.removeLast()
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, heap[l].expiresAtMs < heap[m].expiresAtMs { m = l }
                if r < heap.count, heap[r].expiresAtMs < heap[m].expiresAtMs { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
    }
}
