public import PasskeyCrypto
import Synchronization

/// A bounded LRU cache of built credential keys (OpenSSL keys, or ML-DSA keys), keyed by the encoded COSE_Key bytes.
///
/// Building a P-256 key now costs ~2 µs (a few percent of a verify; docs/DESIGN.md, "Cold keys"), an RSA key about a
/// third of its verify, so the cache mostly spares rebuilds; its cap is what bounds the memory of a large user base.
/// A lookup hashes the bytes with a per-process seeded `Hasher` (no allocation), then compares the stored bytes exactly:
/// a hash collision can never hand out the wrong key, it only costs a rebuild. The cache is split into shards, each
/// behind its own mutex, so threads rarely contend.
///
/// It is bounded twice: by entries and by bytes (each entry costs its COSE bytes plus the key's
/// `estimatedMemoryBytes`), so unusually large keys cannot push it past its memory budget. What goes in is the
/// caller's decision: `entry(for:build:)` caches what it builds (keys a relying party stored at registration), while
/// a registration only `insert`s its new key after the whole ceremony has succeeded.
public final class KeyCache: Sendable {
    public struct Entry: Sendable {
        public let key: CredentialKey
        public let algorithm: COSEAlgorithm
        public init(key: CredentialKey, algorithm: COSEAlgorithm) {
            self.key = key
            self.algorithm = algorithm
        }
        /// An OpenSSL key's entry.
        public init(key: PublicKey, algorithm: COSEAlgorithm) {
            self.init(key: .openssl(key), algorithm: algorithm)
        }
    }

    public struct Statistics: Sendable, Hashable {
        public var hits: UInt64 = 0
        public var misses: UInt64 = 0
        public var evictions: UInt64 = 0
        public var count: Int = 0
        /// Bytes accounted to the kept entries.
        public var bytes: Int = 0
        public var hitRate: Double { hits + misses == 0 ? 0 : Double(hits) / Double(hits + misses) }
    }

    /// Budget per entry when `maximumBytes` is not given: a cached P-256 key costs about 2.4 KB (its COSE bytes, the
    /// EC_KEY with its group copy and the EVP_PKEY sharing it), Ed25519 about 1 KB, RSA-2048 about 1.7 KB; ML-DSA-65 about 8.4 KB and
    /// ML-DSA-87 about 11 KB (charged as such, so they take the room of two or three classic keys).
    public static let defaultBytesPerEntry = 4_000

    public let capacity: Int
    public let maximumBytes: Int
    private let shards: [ShardBox]

    /// `capacity` is the total number of keys kept and `maximumBytes` their total cost (default
    /// `capacity × defaultBytesPerEntry`), both spread over the shards; a capacity of 0 disables caching.
    public init(capacity: Int, maximumBytes: Int? = nil, shardCount: Int = 16) {
        self.capacity = max(0, capacity)
        self.maximumBytes = max(0, maximumBytes ?? self.capacity.multipliedReportingOverflow(by: Self.defaultBytesPerEntry).partialValue)
        let n = max(1, min(shardCount, max(1, capacity)))
        let perShard = capacity == 0 ? 0 : (capacity + n - 1) / n
        let bytesPerShard = capacity == 0 ? 0 : (self.maximumBytes + n - 1) / n
        self.shards = (0..<n).map { _ in ShardBox(Shard(capacity: perShard, maximumBytes: bytesPerShard)) }
    }

    /// Returns the cached entry for `cose`, or builds it with `build`, caches it and returns it.
    /// Errors from `build` are not cached. For keys the relying party stored (authentication).
    public func entry(
        for cose: UnsafeRawBufferPointer, build: () throws(COSEKeyError) -> Entry
    ) throws(COSEKeyError) -> Entry {
        if capacity == 0 { return try build() }
        let hash = Self.hash(cose)
        let shard = shard(for: hash)
        if let hit = shard.mutex.withLock({ $0.lookup(hash: hash, bytes: cose) }) { return hit }
        let built = try build()
        shard.mutex.withLock { $0.insert(hash: hash, bytes: cose, entry: built) }
        return built
    }

    /// The cached entry for `cose`, if any (nothing is built or inserted).
    public func cachedEntry(for cose: UnsafeRawBufferPointer) -> Entry? {
        if capacity == 0 { return nil }
        let hash = Self.hash(cose)
        return shard(for: hash).mutex.withLock { $0.lookup(hash: hash, bytes: cose) }
    }

    /// Keeps `entry` for `cose` (a registration whose ceremony has fully succeeded).
    public func insert(_ entry: Entry, for cose: UnsafeRawBufferPointer) {
        if capacity == 0 { return }
        let hash = Self.hash(cose)
        shard(for: hash).mutex.withLock { $0.insert(hash: hash, bytes: cose, entry: entry) }
    }

    public var statistics: Statistics {
        var s = Statistics()
        for shard in shards {
            shard.mutex.withLock {
                s.hits += $0.hits
                s.misses += $0.misses
                s.evictions += $0.evictions
                s.count += $0.map.count
                s.bytes += $0.bytes
            }
        }
        return s
    }

    public func removeAll() {
        for shard in shards { shard.mutex.withLock { $0.removeAll() } }
    }

    @inline(__always)
    private static func hash(_ cose: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: cose)
        return hasher.finalize()
    }

    @inline(__always)
    private func shard(for hash: Int) -> ShardBox {
        shards[Int(UInt(bitPattern: hash) % UInt(shards.count))]
    }
}

/// Mutex is not copyable, so each shard lives in its own box.
private final class ShardBox: Sendable {
    let mutex: Mutex<Shard>
    init(_ shard: consuming Shard) { mutex = Mutex(shard) }
}

/// One shard: a hash map from the bytes' hash to a slot, a doubly linked recency list over the slots, and a free
/// list of slots given back by byte-budget evictions.
private struct Shard: ~Copyable {
    struct Slot {
        var hash: Int
        var bytes: [UInt8]
        var entry: KeyCache.Entry?
        var cost: Int
        var prev: Int32
        var next: Int32
    }

    let capacity: Int
    let maximumBytes: Int
    var map: [Int: Int32] = [:]
    var slots: [Slot] = []
    var free: [Int32] = []
    var head: Int32 = -1  // most recently used
    var tail: Int32 = -1  // least recently used
    var bytes = 0
    var hits: UInt64 = 0
    var misses: UInt64 = 0
    var evictions: UInt64 = 0

    init(capacity: Int, maximumBytes: Int) {
        self.capacity = capacity
        self.maximumBytes = maximumBytes
    }

    static func cost(_ bytes: UnsafeRawBufferPointer, _ entry: KeyCache.Entry) -> Int {
        bytes.count + entry.key.estimatedMemoryBytes + 64
    }

    mutating func lookup(hash: Int, bytes: UnsafeRawBufferPointer) -> KeyCache.Entry? {
        guard let i = map[hash], slots[Int(i)].bytes.withUnsafeBytes({ $0.elementsEqual(bytes) }),
            let entry = slots[Int(i)].entry
        else {
            misses += 1
            return nil
        }
        hits += 1
        moveToFront(i)
        return entry
    }

    mutating func insert(hash: Int, bytes: UnsafeRawBufferPointer, entry: KeyCache.Entry) {
        let cost = Self.cost(bytes, entry)
        guard cost <= maximumBytes else { return }  // larger than the whole shard's budget: never kept
        if let i = map[hash] {
            // Same hash: either another thread built the same key first, or a genuine collision. Keep the newest.
            self.bytes += cost - slots[Int(i)].cost
            slots[Int(i)].bytes = Array(bytes)
            slots[Int(i)].entry = entry
            slots[Int(i)].cost = cost
            moveToFront(i)
            evictToBudget(keeping: i)
            return
        }
        let i: Int32
        if let reused = free.popLast() {
            i = reused
            slots[Int(i)] = Slot(hash: hash, bytes: Array(bytes), entry: entry, cost: cost, prev: -1, next: -1)
        } else if slots.count < capacity {
            slots.append(Slot(hash: hash, bytes: Array(bytes), entry: entry, cost: cost, prev: -1, next: -1))
            i = Int32(slots.count - 1)
        } else {
            // Reuse the least recently used slot.
            i = tail
            unlink(i)
            map[slots[Int(i)].hash] = nil
            self.bytes -= slots[Int(i)].cost
            slots[Int(i)] = Slot(hash: hash, bytes: Array(bytes), entry: entry, cost: cost, prev: -1, next: -1)
            evictions += 1
        }
        self.bytes += cost
        map[hash] = i
        pushFront(i)
        evictToBudget(keeping: i)
    }

    /// Drops least recently used entries (never `keeping`) until the byte budget holds.
    private mutating func evictToBudget(keeping: Int32) {
        while bytes > maximumBytes, tail >= 0, tail != keeping {
            let victim = tail
            unlink(victim)
            map[slots[Int(victim)].hash] = nil
            bytes -= slots[Int(victim)].cost
            slots[Int(victim)].entry = nil
            slots[Int(victim)].bytes = []
            slots[Int(victim)].cost = 0
            free.append(victim)
            evictions += 1
        }
    }

    mutating func removeAll() {
        map.removeAll()
        slots.removeAll()
        free.removeAll()
        head = -1
        tail = -1
        bytes = 0
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
