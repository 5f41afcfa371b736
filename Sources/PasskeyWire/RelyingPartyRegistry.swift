public import PasskeyWebAuthn
import Synchronization

/// The relying parties a server knows: the named ones from its configuration (swapped atomically on reload), and a
/// bounded cache of inline policies keyed by their encoded bytes, so a gateway that sends the same policy with every
/// request pays for building it (RP ID hash, origin list, trust anchors) once.
public final class RelyingPartyRegistry: Sendable {
    private let named: Mutex<[String: RelyingParty]>
    private let inline: Mutex<InlineCache>
    public let inlineCapacity: Int

    public init(named: [String: RelyingParty] = [:], inlineCapacity: Int = 4096) {
        self.named = Mutex(named)
        self.inline = Mutex(InlineCache())
        self.inlineCapacity = max(1, inlineCapacity)
    }

    public func named(_ name: String) -> RelyingParty? { named.withLock { $0[name] } }

    public var names: [String] { named.withLock { $0.keys.sorted() } }

    /// Replaces the named relying parties (config reload). Inline policies are kept: they carry everything themselves.
    public func replaceNamed(_ parties: [String: RelyingParty]) { named.withLock { $0 = parties } }

    /// The cached relying party for an encoded inline policy, or the one `build` makes (then cached).
    func inlineParty(
        key: UnsafeRawBufferPointer, build: () throws(WebAuthnError) -> RelyingParty
    ) throws(WebAuthnError) -> RelyingParty {
        var hasher = Hasher()
        hasher.combine(bytes: key)
        let hash = hasher.finalize()
        if let hit = inline.withLock({ $0.lookup(hash: hash, key: key) }) { return hit }
        let party = try build()
        let capacity = inlineCapacity
        inline.withLock { $0.insert(hash: hash, key: key, party: party, capacity: capacity) }
        return party
    }

    public var inlineCount: Int { inline.withLock { $0.entries.count } }
}

private struct InlineCache: ~Copyable {
    var entries: [Int: (key: [UInt8], party: RelyingParty)] = [:]

    func lookup(hash: Int, key: UnsafeRawBufferPointer) -> RelyingParty? {
        guard let e = entries[hash], e.key.withUnsafeBytes({ $0.elementsEqual(key) }) else { return nil }
        return e.party
    }

    mutating func insert(hash: Int, key: UnsafeRawBufferPointer, party: RelyingParty, capacity: Int) {
        // Policies are few in practice; when a misbehaving client floods distinct ones, start over rather than grow.
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[hash] = (Array(key), party)
    }
}
