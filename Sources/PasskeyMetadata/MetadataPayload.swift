import PasskeyCrypto
import PasskeyJSON

extension MetadataBLOB {
    /// Parses a BLOB payload's JSON into an index without checking any signature: for tests and fuzzing. The index
    /// says so (`provenance == .unchecked`); servers load BLOBs with `load`, which verifies first.
    public static func parseUncheckedPayload(_ json: UnsafeRawBufferPointer, limits: Limits = .default) throws(MetadataError)
        -> MetadataIndex
    {
        try PayloadParser.parse(json, limits: limits, provenance: .unchecked)
    }
}

/// The MDS3 payload (§3.1.6 `MetadataBLOBPayload`, §3.1.1 `MetadataBLOBPayloadEntry`, §3.1.3 `StatusReport`, and of
/// the metadata statement `description`, `attestationTypes`, `attestationRootCertificates`) read once into entries.
///
/// Strict on what it reads: a required member missing, a member of the wrong type, a date, UUID, hex or base64 string
/// that does not parse, or a count past its limit refuses the whole BLOB (it is one signed document: a part that does
/// not read means the rest cannot be trusted to read right either). Forward compatible on what it does not read:
/// members it does not know are skipped, and a status value it does not know is recorded, never acted on (§3.1.4).
/// Counts are checked before anything is built; the work is linear in the payload.
struct PayloadParser {
    typealias Value = JSONReader.Value
    var reader: JSONReader
    let limits: MetadataBLOB.Limits
    var rootCertificates = 0

    static func parse(_ json: UnsafeRawBufferPointer, limits: MetadataBLOB.Limits, provenance: MetadataIndex.Provenance)
        throws(MetadataError) -> MetadataIndex
    {
        var p = PayloadParser(reader: JSONReader(limits: limits.json), limits: limits)
        let root: Value
        do {
            root = try p.reader.parse(json)
        } catch {
            throw MetadataError(.malformedPayload, "the payload is not strict JSON: \(error)")
        }
        guard p.reader.kind(root) == .object else { throw MetadataError(.invalidPayload, "the payload is not a JSON object") }
        let legalHeader = try p.requiredString(root, "legalHeader", "legalHeader")
        guard let noValue = p.reader.member(root, "no") else { throw MetadataError(.invalidPayload, "the payload has no 'no'") }
        guard let no = p.reader.int64(noValue), no >= 0, no <= Int64(Int32.max) else {
            throw MetadataError(.invalidPayload, "'no' is not an integer in 0...\(Int32.max)")
        }
        let nextUpdate = try p.requiredString(root, "nextUpdate", "nextUpdate")
        guard TextEncodings.date(Array(nextUpdate.utf8)) != nil else {
            throw MetadataError(.invalidPayload, "nextUpdate '\(clipped(nextUpdate))' is not a YYYY-MM-DD date")
        }
        guard let list = p.reader.member(root, "entries"), p.reader.kind(list) == .array else {
            throw MetadataError(.invalidPayload, "the payload has no 'entries' array")
        }
        guard p.reader.count(list) <= limits.maxEntries else {
            throw MetadataError(.limitExceeded, "\(p.reader.count(list)) entries; at most \(limits.maxEntries)")
        }
        var entries: [MetadataEntry] = []
        entries.reserveCapacity(p.reader.count(list))
        for (i, e) in p.elements(list).enumerated() {
            entries.append(try p.entry(e, position: i))
        }
        return MetadataIndex(
            entries: entries, number: Int(no), nextUpdate: nextUpdate, legalHeader: legalHeader, provenance: provenance)
    }

    /// One `MetadataBLOBPayloadEntry`.
    mutating func entry(_ v: Value, position i: Int) throws(MetadataError) -> MetadataEntry {
        let path = "entries[\(i)]"
        guard reader.kind(v) == .object else { throw MetadataError(.invalidPayload, "\(path) is not an object") }
        let aaid = try optionalString(v, "aaid", "\(path).aaid")
        var aaguid: [UInt8]? = nil
        if let a = reader.member(v, "aaguid") {
            guard let bytes = decodedBytes(a, maxRaw: 36 * 6), let uuid = TextEncodings.uuid(bytes) else {
                throw MetadataError(.invalidPayload, "\(path).aaguid is not a UUID string")
            }
            aaguid = uuid
        }
        var keyIdentifiers: [[UInt8]] = []
        if let ids = reader.member(v, "attestationCertificateKeyIdentifiers") {
            let what = "\(path).attestationCertificateKeyIdentifiers"
            let elements = try array(ids, what, limit: limits.maxKeyIdentifiersPerEntry)
            keyIdentifiers.reserveCapacity(elements.count)
            for (k, e) in elements.enumerated() {
                // RFC 5280 §4.2.1.2 method 1: a SHA-1, 20 bytes, as hex.
                guard let bytes = decodedBytes(e, maxRaw: 40 * 6), let id = TextEncodings.hex(bytes), id.count == 20 else {
                    throw MetadataError(.invalidPayload, "\(what)[\(k)] is not 40 hex digits (a SHA-1 key identifier)")
                }
                keyIdentifiers.append(id)
            }
        }
        guard aaid != nil || aaguid != nil || !keyIdentifiers.isEmpty else {
            throw MetadataError(.invalidPayload, "\(path) names no authenticator: no aaid, aaguid or attestationCertificateKeyIdentifiers")
        }

        var description = ""
        var attestationTypes: [String] = []
        var roots: [Certificate] = []
        var unparsableRoots = 0
        if let statement = reader.member(v, "metadataStatement") {
            let sp = "\(path).metadataStatement"
            guard reader.kind(statement) == .object else { throw MetadataError(.invalidPayload, "\(sp) is not an object") }
            description = try optionalString(statement, "description", "\(sp).description") ?? ""
            if let types = reader.member(statement, "attestationTypes") {
                for (k, t) in try array(types, "\(sp).attestationTypes", limit: limits.maxAttestationTypesPerEntry).enumerated() {
                    attestationTypes.append(try string(t, "\(sp).attestationTypes[\(k)]"))
                }
            }
            if let certificates = reader.member(statement, "attestationRootCertificates") {
                let what = "\(sp).attestationRootCertificates"
                let elements = try array(certificates, what, limit: limits.maxRootCertificatesPerEntry)
                guard rootCertificates + elements.count <= limits.maxRootCertificates else {
                    throw MetadataError(.limitExceeded, "more than \(limits.maxRootCertificates) attestation root certificates in the BLOB")
                }
                rootCertificates += elements.count
                for (k, e) in elements.enumerated() {
                    let der = try base64(e, "\(what)[\(k)]")
                    // A root OpenSSL (or passkeyd's stricter certificate rules) cannot read is left out and counted:
                    // the entry's statuses still apply, and nothing is anchored on a certificate nobody can check.
                    if let certificate = try? Certificate(der: der) {
                        roots.append(certificate)
                    } else {
                        unparsableRoots += 1
                    }
                }
            }
        }

        guard let reportsValue = reader.member(v, "statusReports") else {
            throw MetadataError(.invalidPayload, "\(path) has no 'statusReports'")
        }
        var reports: [StatusReport] = []
        var unknown: [String] = []
        for (k, r) in try array(reportsValue, "\(path).statusReports", limit: limits.maxStatusReportsPerEntry).enumerated() {
            let rp = "\(path).statusReports[\(k)]"
            guard reader.kind(r) == .object else { throw MetadataError(.invalidPayload, "\(rp) is not an object") }
            let status = try requiredString(r, "status", "\(rp).status")
            let effectiveDate = try optionalDate(r, "effectiveDate", "\(rp).effectiveDate")
            var version: Int64? = nil
            if let a = reader.member(r, "authenticatorVersion") {
                guard let n = reader.int64(a), n >= 0, n <= Int64(UInt32.max) else {
                    throw MetadataError(.invalidPayload, "\(rp).authenticatorVersion is not an integer in 0...\(UInt32.max)")
                }
                version = n
            }
            var certificate: [UInt8]? = nil
            if let c = reader.member(r, "certificate") { certificate = try base64(c, "\(rp).certificate") }
            if let known = AuthenticatorStatus(rawValue: status) {
                reports.append(
                    StatusReport(status: known, effectiveDate: effectiveDate, authenticatorVersion: version, certificate: certificate))
            } else {
                unknown.append(clipped(status))
            }
        }
        guard let changed = try optionalDate(v, "timeOfLastStatusChange", "\(path).timeOfLastStatusChange") else {
            throw MetadataError(.invalidPayload, "\(path) has no 'timeOfLastStatusChange'")
        }
        return MetadataEntry(
            aaguid: aaguid, aaid: aaid, attestationCertificateKeyIdentifiers: keyIdentifiers, description: description,
            statusReports: reports, unknownStatuses: unknown, timeOfLastStatusChange: changed,
            attestationTypes: attestationTypes, attestationRootCertificates: roots, unparsableRootCertificates: unparsableRoots,
            positions: [i])
    }

    // MARK: - Typed members

    /// The elements of an array value, after checking its count against `limit`.
    func array(_ v: Value, _ what: String, limit: Int) throws(MetadataError) -> [Value] {
        guard reader.kind(v) == .array else { throw MetadataError(.invalidPayload, "\(what) is not an array") }
        guard reader.count(v) <= limit else {
            throw MetadataError(.limitExceeded, "\(what) has \(reader.count(v)) elements; at most \(limit)")
        }
        return elements(v)
    }

    func elements(_ v: Value) -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(reader.count(v))
        reader.forEachElement(v) { out.append($0) }
        return out
    }

    /// A string of at most `maxStringBytes` UTF-8 bytes after unescaping.
    func string(_ v: Value, _ what: String) throws(MetadataError) -> String {
        guard let raw = reader.rawStringBytes(v) else { throw MetadataError(.invalidPayload, "\(what) is not a string") }
        // An escape is at most 6 bytes for one byte of text: refuse from the raw length when even that cannot fit.
        guard raw.count <= limits.maxStringBytes * 6, let s = reader.string(v), s.utf8.count <= limits.maxStringBytes else {
            throw MetadataError(.tooLarge, "\(what) is longer than \(limits.maxStringBytes) bytes")
        }
        return s
    }

    func optionalString(_ object: Value, _ name: StaticString, _ what: String) throws(MetadataError) -> String? {
        guard let v = reader.member(object, name) else { return nil }
        return try string(v, what)
    }

    func requiredString(_ object: Value, _ name: StaticString, _ what: String) throws(MetadataError) -> String {
        guard let s = try optionalString(object, name, what) else { throw MetadataError(.invalidPayload, "\(what) is missing") }
        return s
    }

    /// A `YYYY-MM-DD` string, or nil when the member is absent.
    func optionalDate(_ object: Value, _ name: StaticString, _ what: String) throws(MetadataError) -> String? {
        guard let s = try optionalString(object, name, what) else { return nil }
        guard TextEncodings.date(Array(s.utf8)) != nil else {
            throw MetadataError(.invalidPayload, "\(what) '\(clipped(s))' is not a YYYY-MM-DD date")
        }
        return s
    }

    /// A string's decoded bytes, or nil when it is not a string or its raw text is longer than `maxRaw`.
    func decodedBytes(_ v: Value, maxRaw: Int) -> [UInt8]? {
        guard let raw = reader.rawStringBytes(v), raw.count <= maxRaw else { return nil }
        return reader.withDecodedString(v) { Array($0) }
    }

    /// Standard base64 DER of at most `maxCertificateBytes`.
    func base64(_ v: Value, _ what: String) throws(MetadataError) -> [UInt8] {
        let maxRaw = (limits.maxCertificateBytes / 3 + 1) * 4 * 6
        guard reader.kind(v) == .string else { throw MetadataError(.invalidPayload, "\(what) is not a string") }
        guard let text = decodedBytes(v, maxRaw: maxRaw), let der = TextEncodings.base64(text, maxBytes: limits.maxCertificateBytes) else {
            throw MetadataError(.invalidPayload, "\(what) is not standard base64 of at most \(limits.maxCertificateBytes) bytes")
        }
        return der
    }
}
