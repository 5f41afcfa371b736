import Synchronization

/// Parsed certificates by their exact DER, so the certificates many registrations carry (vendor intermediates,
/// batch attestation certificates) are parsed once. Parsing is a pure function of the bytes and a `Certificate` is
/// immutable, so a cached instance is what parsing again would give. Only successes are kept; bounded by entries and
/// by an estimate of their memory (least recently used first out). A miss costs a parse plus one hash of the DER.
public final class ParsedCertificateCache: Sendable {
    /// 1,024 certificates or 8 MiB (DER + 8.5 KB each: 6 KB for OpenSSL's parsed form and key, ~2.3 KB for the
    /// `PublicKey` a leaf keeps once `publicKey` was used).
    public static let defaultMaximumEntries = 1_024
    public static let defaultMaximumBytes = 8 << 20
    /// What `Certificate.parsed(der:)` uses.
    public static let shared = ParsedCertificateCache()
    static let parsedOverhead = 8_704

    public struct Statistics: Sendable, Hashable {
        public var hits = 0
        public var misses = 0
        public var evictions = 0
        public var entries = 0
        public var bytes = 0
    }

    public let maximumEntries: Int
    public let maximumBytes: Int
    private let state: Mutex<State>

    struct State {
        var table = LRUTable<Key, Certificate>()
        var statistics = Statistics()
    }

    /// Exact DER; the hash is taken once, outside the lock, and equality compares every byte.
    struct Key: Hashable, Sendable {
        let der: [UInt8]
        let digest: Int

        init(_ der: [UInt8]) {
            var hasher = Hasher()
            der.withUnsafeBytes { hasher.combine(bytes: $0) }  // one pass over the buffer, not one call per byte
            self.der = der
            digest = hasher.finalize()
        }

        static func == (a: Key, b: Key) -> Bool { a.digest == b.digest && a.der == b.der }
        func hash(into hasher: inout Hasher) { hasher.combine(digest) }
    }

    public init(maximumEntries: Int = ParsedCertificateCache.defaultMaximumEntries, maximumBytes: Int = ParsedCertificateCache.defaultMaximumBytes) {
        self.maximumEntries = max(0, maximumEntries)
        self.maximumBytes = max(0, maximumBytes)
        state = Mutex(State())
    }

    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Forgets the certificate with this DER, if cached (a benchmark replaying its registrations uses it to meet a
    /// leaf as new).
    public func remove(der: [UInt8]) {
        let key = Key(der)
        state.withLock { s in
            guard let slot = s.table.index[key] else { return }
            s.table.remove(slot)
            s.statistics.entries = s.table.count
            s.statistics.bytes = s.table.bytes
        }
    }

    public func removeAll() {
        state.withLock { s in
            s.table.removeAll()
            s.statistics.entries = 0
            s.statistics.bytes = 0
        }
    }

    /// The certificate `der` parses to: the cached one, or `Certificate(der:)` (cached when it parses).
    public func certificate(der: [UInt8]) throws(CryptoError) -> Certificate {
        let key = Key(der)
        let found = state.withLock { s -> Certificate? in
            let c = s.table.lookup(key)
            if c != nil { s.statistics.hits += 1 } else { s.statistics.misses += 1 }
            return c
        }
        if let found { return found }
        let parsed = try Certificate(der: der)
        let cost = der.count + Self.parsedOverhead
        guard maximumEntries > 0, cost <= maximumBytes else { return parsed }
        state.withLock { s in
            guard s.table.index[key] == nil else { return }
            s.statistics.evictions += s.table.makeRoom(cost: cost, maximumEntries: maximumEntries, maximumBytes: maximumBytes)
            s.table.add(key, parsed, cost: cost)
            s.statistics.entries = s.table.count
            s.statistics.bytes = s.table.bytes
        }
        return parsed
    }
}

extension Certificate {
    /// `Certificate(der:)` through the process-wide `ParsedCertificateCache`: for certificates from requests.
    public static func parsed(der: [UInt8]) throws(CryptoError) -> Certificate {
        try ParsedCertificateCache.shared.certificate(der: der)
    }

    public static func parsed(der: UnsafeRawBufferPointer) throws(CryptoError) -> Certificate {
        try ParsedCertificateCache.shared.certificate(der: Array(der))
    }
}
