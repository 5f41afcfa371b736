public import PasskeyCrypto
import Synchronization

/// A bounded LRU cache of built OpenSSL keys, keyed by the encoded COSE_Key bytes.
///
/// Building a P-256 key costs about a third of a verify and `d2i_PUBKEY` about two, so the hot path looks keys up here.
/// A lookup hashes the bytes with a per-process seeded `Hasher` (no allocation), then compares the stored bytes exactly:
/// a hash collision can never hand out the wrong key, it only costs a rebuild. The cache is split into shards, each
/// behind its own mutex, so threads rarely contend.
public final class KeyCache: Sendable {
    public struct Entry: Sendable {
        public let key: PublicKey
        public let algorithm: COSEAlgorithm
        public init(key: PublicKey, algorithm: COSEAlgorithm) {
            self.key = key
            self.algorithm = algorithm
        }
    }

    public struct Statistics: Sendable, Hashable {
        public var hits: UInt64 = 0
        public var misses: UInt64 = 0
        public var evictions: UInt64 = 0
        public var count: Int = 0
        public var hitRate: Double { hits + misses == 0 ? 0 : Double(hits) / Double(hits + misses) }
    }

    public let capacity: Int
    private let shards: [ShardBox]

    /// `capacity` is the total number of keys kept (spread over shards); 0 disables caching.
    public init(capacity: Int, shardCount: Int = 16) {
        self.capacity = max(0, capacity)
        let n = max(1, min(shardCount, max(1, capacity)))
        let perShard = capacity == 0 ? 0 : (capacity + n - 1) / n
        self.shards = (0..<n).map { _ in ShardBox(Shard(capacity: perShard)) }
    }

    /// Returns the cached entry for `cose`, or builds it with `build`, caches it and returns it.
    /// Errors from `build` are not cached.
    public func entry(
        for cose: UnsafeRawBufferPointer, build: () throws(COSEKeyError) -> Entry
    ) throws(COSEKeyError) -> Entry {
        if capacity == 0 { return try build() }
        var hasher = Hasher()
        hasher.combine(bytes: cose)
        let hash = hasher.finalize()
        let shard = shards[Int(UInt(bitPattern: hash) % UInt(shards.count))]
        if let hit = shard.mutex.withLock({ $0.lookup(hash: hash, bytes: cose) }) { return hit }
        let built = try build()
        shard.mutex.withLock { $0.insert(hash: hash, bytes: cose, entry: built) }
        return built
    }

    public var statistics: Statistics {
        var s = Statistics()
        for shard in shards {
            shard.mutex.withLock {
                s.hits += $0.hits
                s.misses += $0.misses
                s.evictions += $0.evictions
                s.count += $0.map.count
            }
        }
        return s
    }

    public func removeAll() {
        for shard in shards { shard.mutex.withLock { $0.removeAll() } }
    }
}

/// Mutex is not copyable, so each shard lives in its own box.
private final class ShardBox: Sendable {
    let mutex: Mutex<Shard>
    init(_ shard: consuming Shard) { mutex = Mutex(shard) }
}

/// One shard: a hash map from the bytes' hash to a slot, and a doubly linked recency list over the slots.
private struct Shard: ~Copyable {
    struct Slot {
        var hash: Int
        var bytes: [UInt8]
        var entry: KeyCache.Entry
        var prev: Int32
        var next: Int32
    }

    let capacity: Int
    var map: [Int: Int32] = [:]
    var slots: [Slot] = []
    var head: Int32 = -1  // most recently used
    var tail: Int32 = -1  // least recently used
    var hits: UInt64 = 0
    var misses: UInt64 = 0
    var evictions: UInt64 = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func lookup(hash: Int, bytes: UnsafeRawBufferPointer) -> KeyCache.Entry? {
        guard let i = map[hash], slots[Int(i)].bytes.withUnsafeBytes({ $0.elementsEqual(bytes) }) else {
            misses += 1
            return nil
        }
        hits += 1
        moveToFront(i)
        return slots[Int(i)].entry
    }

    mutating func insert(hash: Int, bytes: UnsafeRawBufferPointer, entry: KeyCache.Entry) {
        if let i = map[hash] {
            // Same hash: either another thread built the same key first, or a genuine collision. Keep the newest.
            slots[Int(i)].bytes = Array(bytes)
            slots[Int(i)].entry = entry
            moveToFront(i)
            return
        }
        let i: Int32
        if slots.count < capacity {
            slots.append(Slot(hash: hash, bytes: Array(bytes), entry: entry, prev: -1, next: -1))
            i = Int32(slots.count - 1)
        } else {
            // Reuse the least recently used slot.
            i = tail
            unlink(i)
            map[slots[Int(i)].hash] = nil
            slots[Int(i)] = Slot(hash: hash, bytes: Array(bytes), entry: entry, prev: -1, next: -1)
            evictions += 1
        }
        map[hash] = i
        pushFront(i)
    }

    mutating func removeAll() {
        map.removeAll()
        slots.removeAll()
        head = -1
        tail = -1
    }

    private mutating func moveToFront(_ i: Int32) {
        guard head != i else { return }
        unlink(i)
        pushFront(i)
    }

    private mutating func unlink(_ i: Int32) {
        let p = slots[Int(i)].prev, n = slots[Int(i)].next
        if p >= 0 { slots[Int(p)].next = n } else { head = n }
        if n >= 0 { slots[Int(n)].prev = p } else { tail = p }
        slots[Int(i)].prev = -1
        slots[Int(i)].next = -1
    }

    private mutating func pushFront(_ i: Int32) {
        slots[Int(i)].prev = -1
        slots[Int(i)].next = head
        if head >= 0 { slots[Int(head)].prev = i }
        head = i
        if tail < 0 { tail = i }
    }
}
