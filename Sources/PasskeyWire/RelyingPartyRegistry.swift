public import PasskeyWebAuthn
import Synchronization

/// The relying parties a server knows: the named ones from its configuration (swapped atomically on reload), and a
/// bounded cache of inline policies keyed by their encoded bytes, so a gateway that sends the same policy with every
/// request pays for building it (RP ID hash, origin list, trust anchors) once.
///
/// The cache is bounded by entries and by the bytes of their keys (a built party takes memory in proportion to its
/// encoding: origin strings, certificates), and a policy whose encoding is larger than `inlineKeyLimit` is built for
/// its request and not kept: without that, distinct 1 MiB policies would each stay until 4096 of them filled it.
public final class RelyingPartyRegistry: Sendable {
    private let named: Mutex<[String: RelyingParty]>
    private let inline: Mutex<InlineCache>
    private let defaults: Mutex<AttestationPolicy>
    private let keys: Mutex<(ring: ChallengeKeyRing, ephemeral: Bool)>
    /// Moves whenever cached inline parties stop being valid (new attestation defaults), so an executor's own memo
    /// of its last inline policy (`WireExecutor.inlineMemo`) is dropped with the shared cache.
    private let inlineGenerationCounter = Atomic<UInt64>(0)
    public let inlineCapacity: Int
    /// Total bytes of cached policy encodings.
    public let inlineBytesCapacity: Int
    /// Policies with a longer encoding are not cached.
    public let inlineKeyLimit: Int

    public init(
        named: [String: RelyingParty] = [:], inlineCapacity: Int = 4096, inlineBytesCapacity: Int = 8 << 20,
        inlineKeyLimit: Int = 32 << 10
    ) {
        self.named = Mutex(named)
        self.inline = Mutex(InlineCache())
        self.defaults = Mutex(AttestationPolicy())
        self.keys = Mutex((ChallengeKeyRing.ephemeral(), true))
        self.inlineCapacity = max(1, inlineCapacity)
        self.inlineBytesCapacity = max(1, inlineBytesCapacity)
        self.inlineKeyLimit = max(0, min(inlineKeyLimit, inlineBytesCapacity))
    }

    public func named(_ name: String) -> RelyingParty? { named.withLock { $0[name] } }

    public var names: [String] { named.withLock { $0.keys.sorted() } }

    /// Replaces the named relying parties (config reload). Inline policies are kept: they carry everything themselves.
    public func replaceNamed(_ parties: [String: RelyingParty]) { named.withLock { $0 = parties } }

    /// The server's attestation settings that inline policies start from: the roots per format and the metadata
    /// store (its index is swapped in place on reload, so parties built earlier see new metadata too).
    public var attestationDefaults: AttestationPolicy { defaults.withLock { $0 } }

    /// The keys that mint and check issued challenges: an ephemeral one until configuration names keys (per process,
    /// lost on restart); replaced whole on reload, while tokens of keys still listed stay valid.
    public var challengeKeys: ChallengeKeyRing { keys.withLock { $0.ring } }

    /// True until configured keys replace the ephemeral ring made at start.
    public var challengeKeysAreEphemeral: Bool { keys.withLock { $0.ephemeral } }

    public func replaceChallengeKeys(_ ring: ChallengeKeyRing) { keys.withLock { $0 = (ring, false) } }

    /// Replaces them (reload); cached inline parties were built with the old ones and are dropped.
    public func replaceAttestationDefaults(_ policy: AttestationPolicy) {
        defaults.withLock { $0 = policy }
        inline.withLock { $0.removeAll() }
        inlineGenerationCounter.wrappingAdd(1, ordering: .releasing)
    }

    /// The generation of the inline cache: an inline party obtained after reading it is valid while it is unchanged.
    var inlineGeneration: UInt64 { inlineGenerationCounter.load(ordering: .acquiring) }

    /// The cached relying party for an encoded inline policy, or the one `build` makes (then cached).
    func inlineParty(
        key: UnsafeRawBufferPointer, build: () throws(WebAuthnError) -> RelyingParty
    ) throws(WebAuthnError) -> RelyingParty {
        var hasher = Hasher()
        hasher.combine(bytes: key)
        let hash = hasher.finalize()
        if let hit = inline.withLock({ $0.lookup(hash: hash, key: key) }) { return hit }
        let party = try build()
        guard key.count <= inlineKeyLimit else { return party }
        let capacity = inlineCapacity
        let bytesCapacity = inlineBytesCapacity
        inline.withLock { $0.insert(hash: hash, key: key, party: party, capacity: capacity, bytesCapacity: bytesCapacity) }
        return party
    }

    public var inlineCount: Int { inline.withLock { $0.entries.count } }

    /// Bytes of the cached policy encodings.
    public var inlineBytes: Int { inline.withLock { $0.bytes } }
}

private struct InlineCache: ~Copyable {
    var entries: [Int: (key: [UInt8], party: RelyingParty)] = [:]
    var bytes = 0

    mutating func removeAll() {
        entries.removeAll()
        bytes = 0
    }

    func lookup(hash: Int, key: UnsafeRawBufferPointer) -> RelyingParty? {
        guard let e = entries[hash], e.key.withUnsafeBytes({ $0.elementsEqual(key) }) else { return nil }
        return e.party
    }

    mutating func insert(hash: Int, key: UnsafeRawBufferPointer, party: RelyingParty, capacity: Int, bytesCapacity: Int) {
        // Policies are few in practice; when a misbehaving client floods distinct ones, start over rather than grow.
        if entries.count >= capacity || bytes + key.count > bytesCapacity {
            entries.removeAll(keepingCapacity: true)
            bytes = 0
        }
        if let old = entries.updateValue((Array(key), party), forKey: hash) { bytes -= old.key.count }
        bytes += key.count
    }
}
