import PasskeyCrypto
import Synchronization

/// A loaded metadata BLOB as lookup tables: entries by AAGUID and by attestation-certificate key identifier. Built
/// once per load (never per request) and shared by every thread.
public final class MetadataIndex: Sendable {
    /// The BLOB's serial number (`no`).
    public let number: Int
    /// `nextUpdate` as written (YYYY-MM-DD), and as Unix seconds (midnight UTC) when it parses.
    public let nextUpdate: String
    public let nextUpdateUnix: Int64?
    public let entries: [MetadataEntry]
    private let byAAGUID: [[UInt8]: Int]
    private let byKeyIdentifier: [[UInt8]: Int]

    public init(entries: [MetadataEntry], number: Int, nextUpdate: String) {
        self.entries = entries
        self.number = number
        self.nextUpdate = nextUpdate
        self.nextUpdateUnix = WallClock.unixSeconds(isoDate: nextUpdate)
        var a: [[UInt8]: Int] = [:]
        var k: [[UInt8]: Int] = [:]
        for (i, e) in entries.enumerated() {
            if let aaguid = e.aaguid { a[aaguid] = a[aaguid] ?? i }
            for id in e.attestationCertificateKeyIdentifiers { k[id] = k[id] ?? i }
        }
        byAAGUID = a
        byKeyIdentifier = k
    }

    public var count: Int { entries.count }

    public func entry(aaguid: [UInt8]) -> MetadataEntry? { byAAGUID[aaguid].map { entries[$0] } }

    public func entry(attestationCertificateKeyIdentifier id: [UInt8]) -> MetadataEntry? {
        byKeyIdentifier[id].map { entries[$0] }
    }

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
