import PasskeyCrypto
import Synchronization

/// A loaded metadata BLOB as lookup tables: entries by AAGUID and by attestation-certificate key identifier. Built
/// once per load (never per request) and shared by every thread.
///
/// Duplicate keys: MDS3 gives one entry per authenticator model, but the published BLOB does not always keep to it.
/// When several entries claim the same AAGUID (or key identifier), the BLOB does not fail and no claimant is dropped:
/// the lookup answers one entry merged from all of them (`MetadataEntry.merging`), so a status any of them reports
/// applies and any of their roots anchors. `duplicateKeys` counts such keys (the loader logs it).
public final class MetadataIndex: Sendable {
    /// Where the index came from: a BLOB whose signature and chain `MetadataBLOB.load` verified, or anything else
    /// (tests, fuzzing: `unchecked`).
    public enum Provenance: Sendable, Equatable {
        case unchecked
        /// `signer` is the signing certificate's subject (or the root's, for a BLOB without `x5c`).
        case verified(algorithm: String, signer: String)
    }

    /// The BLOB's serial number (`no`).
    public let number: Int
    /// `nextUpdate` as written (YYYY-MM-DD), and as Unix seconds (midnight UTC) when it parses.
    public let nextUpdate: String
    public let nextUpdateUnix: Int64?
    public let legalHeader: String?
    public let provenance: Provenance
    /// The BLOB's entries in order.
    public let entries: [MetadataEntry]
    /// AAGUIDs and key identifiers claimed by more than one entry.
    public let duplicateKeys: Int
    private let byAAGUID: [[UInt8]: Int]
    private let byKeyIdentifier: [[UInt8]: Int]
    /// `entries`, then the merged entries duplicate keys resolve to.
    private let lookup: [MetadataEntry]

    public convenience init(entries: [MetadataEntry], number: Int, nextUpdate: String) {
        self.init(entries: entries, number: number, nextUpdate: nextUpdate, legalHeader: nil, provenance: .unchecked)
    }

    init(entries: [MetadataEntry], number: Int, nextUpdate: String, legalHeader: String?, provenance: Provenance) {
        self.entries = entries
        self.number = number
        self.nextUpdate = nextUpdate
        self.nextUpdateUnix = WallClock.unixSeconds(isoDate: nextUpdate)
        self.legalHeader = legalHeader
        self.provenance = provenance
        // Claimants per key in BLOB order: linear in the keys; a merged entry is built once per distinct set of
        // claimants (an entry listing many key identifiers repeated whole merges once).
        var aaguidClaims: [[UInt8]: [Int]] = [:]
        var keyClaims: [[UInt8]: [Int]] = [:]
        for (i, e) in entries.enumerated() {
            if let aaguid = e.aaguid { Self.claim(&aaguidClaims, aaguid, i) }
            for id in e.attestationCertificateKeyIdentifiers { Self.claim(&keyClaims, id, i) }
        }
        var lookup = entries
        var merged: [[Int]: Int] = [:]
        var duplicates = 0
        func resolve(_ claims: [[UInt8]: [Int]]) -> [[UInt8]: Int] {
            var out: [[UInt8]: Int] = [:]
            out.reserveCapacity(claims.count)
            for (key, claimants) in claims {
                if claimants.count == 1 {
                    out[key] = claimants[0]
                    continue
                }
                duplicates += 1
                if let m = merged[claimants] {
                    out[key] = m
                } else {
                    lookup.append(MetadataEntry.merging(claimants.map { entries[$0] }))
                    merged[claimants] = lookup.count - 1
                    out[key] = lookup.count - 1
                }
            }
            return out
        }
        byAAGUID = resolve(aaguidClaims)
        byKeyIdentifier = resolve(keyClaims)
        self.lookup = lookup
        duplicateKeys = duplicates
    }

    private static func claim(_ claims: inout [[UInt8]: [Int]], _ key: [UInt8], _ i: Int) {
        // An entry that lists the same key twice is one claimant.
        if claims[key, default: []].last != i { claims[key, default: []].append(i) }
    }

    public var count: Int { entries.count }

    public func entry(aaguid: [UInt8]) -> MetadataEntry? { byAAGUID[aaguid].map { lookup[$0] } }

    public func entry(attestationCertificateKeyIdentifier id: [UInt8]) -> MetadataEntry? {
        byKeyIdentifier[id].map { lookup[$0] }
    }

    /// Distinct AAGUIDs and key identifiers the index answers for.
    public var aaguidCount: Int { byAAGUID.count }
    public var keyIdentifierCount: Int { byKeyIdentifier.count }

    /// Status values no entry's policy can act on (unknown to this build), over all entries.
    public var unknownStatusCount: Int { entries.reduce(0) { $0 + $1.unknownStatuses.count } }

    /// Root certificates left out because they do not parse, over all entries.
    public var unparsableRootCertificates: Int { entries.reduce(0) { $0 + $1.unparsableRootCertificates } }

    /// Whether `nextUpdate` has passed at `now` (Unix seconds): the BLOB should have been refreshed.
    public func isStale(at now: Int64) -> Bool {
        guard let next = nextUpdateUnix else { return false }
        return now >= next
    }
}

/// The metadata a server currently uses: replaced as a whole on reload (SIGHUP) while requests keep reading the index
/// they started with.
public final class MetadataStore: Sendable {
    private let current: Mutex<MetadataIndex?>

    public init(_ index: MetadataIndex? = nil) { current = Mutex(index) }

    public var index: MetadataIndex? { current.withLock { $0 } }

    public func replace(_ index: MetadataIndex?) { current.withLock { $0 = index } }
}
