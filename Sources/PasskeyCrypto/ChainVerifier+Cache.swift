import Synchronization

/// Chains a `ChainVerifier` has already validated, so the signatures of certificates many registrations share (batch
/// attestation certificates, vendor intermediates) are not verified again for every registration.
///
/// Two kinds of entry, both made only from a successful `X509_verify_cert` and both keyed on the trust store's
/// generation (unique per store, never reused: a reload, a new root or a new CRL set makes a new store, whose lookups
/// can never meet the old entries) and on the exact DER of the certificates (hashed for the table, compared in full
/// on a hit):
/// - *path*: leaf + intermediates exactly as sent. A hit validates with no signature verified.
/// - *issuer*: the intermediates alone, when the chain OpenSSL built has `intermediates[0]` as the leaf's issuer and no
///   certificate above the leaf carries name constraints or policy constraints / mappings (the checks whose outcome
///   depends on the leaf). A hit verifies only the new leaf against `intermediates[0]` as its trust anchor (its
///   signature, validity, names, extensions); what the cached part proved (the intermediates' signatures up to the
///   anchor, their CA status and path lengths) does not depend on the leaf.
///
/// Every entry keeps the validity window of the certificates it covers, anchor included (latest notBefore .. earliest
/// notAfter), and is used only when the verification time is inside it; otherwise the chain is verified in full,
/// which reports the failure. Failures are never cached. Verifiers with revocation lists do not use the cache at all.
/// Bounded by entries and bytes (least recently used first out): a client sending endless distinct chains that
/// validate only churns it, and a miss costs what verification without the cache costs plus one hash of the DER.
public final class VerifiedChainCache: Sendable {
    /// What the cache did, cumulative since it was made.
    public struct Statistics: Sendable, Hashable {
        /// Lookups answered by a path entry: the chain validated with no signature verified.
        public var pathHits = 0
        /// Lookups answered by an issuer entry: only the leaf's signature was verified.
        public var issuerHits = 0
        /// Chains verified in full (not found, or found outside its validity window).
        public var misses = 0
        public var insertions = 0
        public var evictions = 0
        /// X509_verify_cert runs for this cache's verifiers (full chains and leaves under a cached issuer).
        public var chainVerifications = 0
        /// Certificate signatures those runs checked when they succeeded (the built chain's length less its anchor).
        public var certificateSignatures = 0
        public var entries = 0
        public var bytes = 0
    }

    /// 4,096 entries or 4 MiB of key bytes, whichever is reached first; about 1.3 KB per entry for a leaf +
    /// intermediate of P-256 certificates.
    public static let defaultMaximumEntries = 4_096
    public static let defaultMaximumBytes = 4 << 20
    /// The process-wide cache `ChainVerifier(trustAnchors:)` uses.
    public static let shared = VerifiedChainCache()

    public let maximumEntries: Int
    public let maximumBytes: Int
    private let table: Mutex<State>

    struct State {
        var table = LRUTable<Key, Window>()
        var statistics = Statistics()

        mutating func updateSizes() {
            statistics.entries = table.count
            statistics.bytes = table.bytes
        }
    }

    public init(maximumEntries: Int = VerifiedChainCache.defaultMaximumEntries, maximumBytes: Int = VerifiedChainCache.defaultMaximumBytes) {
        self.maximumEntries = max(0, maximumEntries)
        self.maximumBytes = max(0, maximumBytes)
        table = Mutex(State())
    }

    public var statistics: Statistics { table.withLock { $0.statistics } }

    /// Drops every entry (statistics stay).
    public func removeAll() {
        table.withLock { t in
            t.table.removeAll()
            t.updateSizes()
        }
    }

    /// Drops the path entries and keeps the issuer entries: what a stream of leaves never seen before meets (a
    /// benchmark that has to reuse its registrations calls it before each one).
    public func removePaths() {
        table.withLock { t in
            for slot in t.table.nodes.indices where t.table.nodes[slot].key?.kind == .path { t.table.remove(slot) }
            t.updateSizes()
        }
    }

    /// Fixed accounting per entry on top of its key bytes (node, table slot, array header).
    static let entryOverhead = 160

    /// The entry's validity window when `key` is cached with a window containing `time` (it becomes the most
    /// recently used); nil otherwise.
    func lookup(_ key: Key, at time: Int64) -> (notBefore: Int64, notAfter: Int64)? {
        table.withLock { t -> (notBefore: Int64, notAfter: Int64)? in
            guard let slot = t.table.index[key], let window = t.table.value(slot) else { return nil }
            guard window.notBefore <= time, time <= window.notAfter else { return nil }
            t.table.moveToFront(slot)
            switch key.kind {
            case .path: t.statistics.pathHits += 1
            case .issuer: t.statistics.issuerHits += 1
            }
            return (window.notBefore, window.notAfter)
        }
    }

    func insert(_ key: Key, notBefore: Int64, notAfter: Int64) {
        let cost = key.bytes.count + Self.entryOverhead
        guard maximumEntries > 0, cost <= maximumBytes, notBefore <= notAfter else { return }
        table.withLock { t in
            if let slot = t.table.index[key] {
                t.table.nodes[slot].value = Window(notBefore: notBefore, notAfter: notAfter)
                t.table.moveToFront(slot)
                return
            }
            t.statistics.evictions += t.table.makeRoom(cost: cost, maximumEntries: maximumEntries, maximumBytes: maximumBytes)
            t.table.add(key, Window(notBefore: notBefore, notAfter: notAfter), cost: cost)
            t.statistics.insertions += 1
            t.updateSizes()
        }
    }

    func recordMiss() { table.withLock { $0.statistics.misses += 1 } }

    func recordVerification(signatures: Int) {
        table.withLock { t in
            t.statistics.chainVerifications += 1
            t.statistics.certificateSignatures += signatures
        }
    }

    enum Kind: UInt8, Sendable { case path, issuer }

    struct Window: Sendable { var notBefore: Int64, notAfter: Int64 }

    /// A trust store generation, a kind and the exact DER of the certificates (each preceded by its length, so
    /// concatenations cannot collide). The hash is computed once, outside the lock; equality compares every byte.
    struct Key: Hashable, Sendable {
        let generation: UInt64
        let kind: Kind
        let bytes: [UInt8]
        let digest: Int

        init(generation: UInt64, kind: Kind, certificates: some Sequence<Certificate>) {
            var bytes: [UInt8] = []
            for certificate in certificates {
                let n = UInt32(truncatingIfNeeded: certificate.derBytes.count)
                bytes += [UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
                bytes += certificate.derBytes
            }
            var hasher = Hasher()
            hasher.combine(generation)
            hasher.combine(kind)
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }  // one pass over the buffer, not one call per byte
            self.generation = generation
            self.kind = kind
            self.bytes = bytes
            self.digest = hasher.finalize()
        }

        static func == (a: Key, b: Key) -> Bool {
            a.digest == b.digest && a.generation == b.generation && a.kind == b.kind && a.bytes == b.bytes
        }

        func hash(into hasher: inout Hasher) { hasher.combine(digest) }
    }
}

/// A least-recently-used table: a doubly linked list over array slots (most recently used at `head`) and a
/// dictionary from key to slot. Every operation is O(1) but `removeAll`; callers hold their own lock.
struct LRUTable<Key: Hashable, Value> {
    struct Node {
        var key: Key?
        var value: Value?
        var cost: Int
        var previous: Int?
        var next: Int?
    }

    var index: [Key: Int] = [:]
    var nodes: [Node] = []
    var freeSlots: [Int] = []
    var head: Int? = nil
    var tail: Int? = nil
    private(set) var bytes = 0

    var count: Int { index.count }

    func value(_ slot: Int) -> Value? { nodes[slot].value }

    mutating func lookup(_ key: Key) -> Value? {
        guard let slot = index[key] else { return nil }
        moveToFront(slot)
        return nodes[slot].value
    }

    /// Evicts least recently used entries until one of `cost` fits; returns how many went.
    mutating func makeRoom(cost: Int, maximumEntries: Int, maximumBytes: Int) -> Int {
        var evicted = 0
        while let last = tail, index.count >= maximumEntries || bytes + cost > maximumBytes {
            remove(last)
            evicted += 1
        }
        return evicted
    }

    mutating func add(_ key: Key, _ value: Value, cost: Int) {
        let node = Node(key: key, value: value, cost: cost, previous: nil, next: head)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            nodes[slot] = node
        } else {
            slot = nodes.count
            nodes.append(node)
        }
        if let head { nodes[head].previous = slot }
        head = slot
        if tail == nil { tail = slot }
        index[key] = slot
        bytes += cost
    }

    mutating func remove(_ slot: Int) {
        unlink(slot)
        if let key = nodes[slot].key { index[key] = nil }
        bytes -= nodes[slot].cost
        nodes[slot] = Node(key: nil, value: nil, cost: 0, previous: nil, next: nil)
        freeSlots.append(slot)
    }

    mutating func removeAll() {
        index = [:]
        nodes = []
        freeSlots = []
        head = nil
        tail = nil
        bytes = 0
    }

    mutating func moveToFront(_ slot: Int) {
        guard head != slot else { return }
        unlink(slot)
        nodes[slot].next = head
        if let head { nodes[head].previous = slot }
        head = slot
        if tail == nil { tail = slot }
    }

    private mutating func unlink(_ slot: Int) {
        let previous = nodes[slot].previous, next = nodes[slot].next
        if let previous { nodes[previous].next = next } else { head = next }
        if let next { nodes[next].previous = previous } else { tail = previous }
        nodes[slot].previous = nil
        nodes[slot].next = nil
    }
}
