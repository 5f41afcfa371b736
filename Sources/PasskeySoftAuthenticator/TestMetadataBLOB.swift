public import PasskeyCrypto
import PasskeyJSON

/// A FIDO MDS3 metadata BLOB made in the tests: entries → payload JSON → a compact JWS signed by a leaf that a test
/// root issued through an intermediate (root → intermediate → signer, like the FIDO chain), with the `x5c` chain in
/// the header, and CRLs of both CAs on request. `Options` breaks one check at a time.
public final class TestMetadataBLOB: @unchecked Sendable {
    /// One `MetadataBLOBPayloadEntry`.
    public struct Entry: Sendable {
        public var aaguid: [UInt8]?
        public var aaid: String? = nil
        public var keyIdentifiers: [[UInt8]] = []
        public var description = "passkeyd test authenticator"
        /// (status, effectiveDate) in order; any status string, known to passkeyd or not.
        public var statuses: [(status: String, effectiveDate: String?)] = [("FIDO_CERTIFIED_L1", "2024-01-01")]
        public var attestationTypes = ["basic_full"]
        /// The metadata statement's attestationRootCertificates.
        public var roots: [Certificate] = []
        public var timeOfLastStatusChange: String? = "2024-01-01"
        /// false leaves out `metadataStatement`.
        public var hasStatement = true

        public init(aaguid: [UInt8]?, keyIdentifiers: [[UInt8]] = [], roots: [Certificate] = []) {
            self.aaguid = aaguid
            self.keyIdentifiers = keyIdentifiers
            self.roots = roots
        }
    }

    /// How the JWS is written and signed, and what to break.
    public struct Options: Sendable {
        /// The header's `alg`, as written.
        public var algorithm = "ES256"
        /// The header's `typ`; nil leaves it out.
        public var typ: String? = "JWT"
        /// Put the chain (signer, intermediate) in `x5c`; false leaves `x5c` out.
        public var includeChain = true
        /// Leave the intermediate out of `x5c` (the chain then cannot reach the root).
        public var omitIntermediate = false
        /// `x5c` elements as written, instead of the chain.
        public var x5c: [String]? = nil
        /// Raw members appended to the header object, e.g. `"crit":["b64"]`.
        public var extraHeaderMembers: String? = nil
        /// Flip a bit of the signature.
        public var corruptSignature = false
        /// Sign these payload bytes (base64url-encoded as they are) instead of the generated JSON.
        public var payload: [UInt8]? = nil
        public init() {}
    }

    public var entries: [Entry]
    public var number = 1
    public var nextUpdate = "2099-01-01"
    public var legalHeader = "Retrieval and use of this BLOB indicates acceptance of the appropriate agreement."

    /// The FIDO root of these tests: what a server is configured with.
    public let root: TestCA
    public let intermediate: TestCA
    /// The signing key (P-256 for ES256, RSA-2048 for RS/PS) and its certificate, issued by `intermediate`.
    public let signingKey: PrivateKey
    public let signingCertificate: Certificate
    public let rsaSigningKey: PrivateKey
    public let rsaSigningCertificate: Certificate

    /// `signerNotAfter`: when the signing certificates expire (the CAs last until 2096).
    public init(entries: [Entry] = [], signerNotBefore: Int64 = 1_600_000_000, signerNotAfter: Int64 = 4_000_000_000) throws {
        self.entries = entries
        root = try TestCA(name: "passkeyd Test MDS Root")
        intermediate = try root.intermediate(name: "passkeyd Test MDS CA-1")
        signingKey = try PrivateKey.generateEC(.p256)
        signingCertificate = try intermediate.issue(
            subject: [("C", "US"), ("O", "passkeyd tests"), ("CN", "mds.test")], publicKey: signingKey.publicKey,
            notBefore: signerNotBefore, notAfter: signerNotAfter)
        guard let rsa = Self.sharedRSAKey else { throw SoftError("cannot generate an RSA key") }
        rsaSigningKey = rsa
        rsaSigningCertificate = try intermediate.issue(
            subject: [("C", "US"), ("O", "passkeyd tests"), ("CN", "mds-rsa.test")], publicKey: rsaSigningKey.publicKey,
            notBefore: signerNotBefore, notAfter: signerNotAfter)
    }

    /// RSA key generation is slow; every BLOB of a test process shares one RSA signing key (certificates differ).
    private static let sharedRSAKey: PrivateKey? = try? PrivateKey.generateRSA(bits: 2048)

    /// The payload (MDS3 §3.1.6) as JSON text.
    public func payloadJSON() -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.member("legalHeader", legalHeader)
        w.member("no", Int64(number))
        w.member("nextUpdate", nextUpdate)
        w.key("entries")
        w.beginArray()
        for e in entries {
            w.beginObject()
            if let aaid = e.aaid { w.member("aaid", aaid) }
            if let aaguid = e.aaguid { w.member("aaguid", UUIDText.format(aaguid)) }
            if !e.keyIdentifiers.isEmpty {
                w.key("attestationCertificateKeyIdentifiers")
                w.beginArray()
                for id in e.keyIdentifiers { w.string(Hex.encode(id)) }
                w.endArray()
            }
            if e.hasStatement {
                w.key("metadataStatement")
                w.beginObject()
                w.member("legalHeader", legalHeader)
                if let aaguid = e.aaguid { w.member("aaguid", UUIDText.format(aaguid)) }
                w.member("description", e.description)
                w.member("authenticatorVersion", 1)
                w.member("schema", 3)
                w.key("attestationTypes")
                w.beginArray()
                for t in e.attestationTypes { w.string(t) }
                w.endArray()
                w.key("attestationRootCertificates")
                w.beginArray()
                for c in e.roots { w.string(Self.base64(c.derBytes)) }
                w.endArray()
                w.endObject()
            }
            w.key("statusReports")
            w.beginArray()
            for s in e.statuses {
                w.beginObject()
                w.member("status", s.status)
                if let d = s.effectiveDate { w.member("effectiveDate", d) }
                w.endObject()
            }
            w.endArray()
            if let t = e.timeOfLastStatusChange { w.member("timeOfLastStatusChange", t) }
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return Array(w.text.utf8)
    }

    /// The BLOB file's bytes: header.payload.signature.
    public func jwt(_ options: Options = Options()) throws -> [UInt8] {
        let rsa = !options.algorithm.hasPrefix("ES")
        let certificate = rsa ? rsaSigningCertificate : signingCertificate
        var header = "{\"alg\":" + JSONWriter.quoted(options.algorithm)
        if let typ = options.typ { header += ",\"typ\":" + JSONWriter.quoted(typ) }
        if let x5c = options.x5c {
            header += ",\"x5c\":[" + x5c.map { JSONWriter.quoted($0) }.joined(separator: ",") + "]"
        } else if options.includeChain {
            let chain = options.omitIntermediate ? [certificate] : [certificate, intermediate.root]
            header += ",\"x5c\":[" + chain.map { "\"" + Self.base64($0.derBytes) + "\"" }.joined(separator: ",") + "]"
        }
        if let extra = options.extraHeaderMembers { header += "," + extra }
        header += "}"
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(options.payload ?? payloadJSON())
        var signature = try sign(Array(signingInput.utf8), algorithm: options.algorithm)
        if options.corruptSignature { signature[signature.count / 2] ^= 0x01 }
        return Array((signingInput + "." + Base64URL.encode(signature)).utf8)
    }

    /// A JWS signature with the key `algorithm` calls for (ES*: P-256 key, r || s; RS*/PS*: the RSA key). An
    /// algorithm passkeyd does not know is signed like RS256, so only its name is wrong.
    func sign(_ message: [UInt8], algorithm: String) throws -> [UInt8] {
        let hash: HashAlgorithm = algorithm.hasSuffix("384") ? .sha384 : algorithm.hasSuffix("512") ? .sha512 : .sha256
        if algorithm.hasPrefix("ES") {
            return try Self.rawECDSA(signingKey.sign(message, scheme: .ecdsa(hash)), componentBytes: 32)
        }
        if algorithm.hasPrefix("PS") { return try rsaSigningKey.sign(message, scheme: .rsaPSS(hash)) }
        return try rsaSigningKey.sign(message, scheme: .rsaPKCS1v15(hash))
    }

    /// CRLs of the intermediate and the root, valid around `at`, revoking the signing certificates when asked.
    public func revocationLists(revokingSigner: Bool = false, thisUpdate: Int64 = 1_700_000_000, nextUpdate: Int64 = 4_000_000_000)
        throws -> [RevocationList]
    {
        let revoked = revokingSigner ? [signingCertificate, rsaSigningCertificate] : []
        return [
            try RevocationListBuilder(issuer: intermediate.root, revoked: revoked, thisUpdate: thisUpdate, nextUpdate: nextUpdate)
                .sign(with: intermediate.rootKey),
            try RevocationListBuilder(issuer: root.root, thisUpdate: thisUpdate, nextUpdate: nextUpdate).sign(with: root.rootKey),
        ]
    }

    /// DER Ecdsa-Sig-Value → r || s (RFC 7518 §3.4), each left-padded to `componentBytes`.
    static func rawECDSA(_ der: [UInt8], componentBytes n: Int) throws -> [UInt8] {
        var i = der[1] == 0x81 ? 3 : 2
        var out: [UInt8] = []
        for _ in 0..<2 {
            guard der[i] == 0x02 else { throw SoftError("not a DER ECDSA signature") }
            let length = Int(der[i + 1])
            var value = Array(der[(i + 2)..<(i + 2 + length)].drop { $0 == 0 })
            value = [UInt8](repeating: 0, count: n - value.count) + value
            out += value
            i += 2 + length
        }
        return out
    }

    /// Standard base64 with padding (RFC 4648 §4).
    public static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            var v = UInt32(bytes[i]) << 16
            if n > 1 { v |= UInt32(bytes[i + 1]) << 8 }
            if n > 2 { v |= UInt32(bytes[i + 2]) }
            for k in 0..<4 {
                out.append(k <= n ? alphabet[Int((v >> (18 - 6 * UInt32(k))) & 63)] : UInt8(ascii: "="))
            }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
