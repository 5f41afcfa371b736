import PasskeyJSON

/// A JWS in Compact Serialization (RFC 7515 §7.1) as the SafetyNet API returns it (WebAuthn L3 §8.5 `response`):
/// `BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature)`, each part canonical unpadded base64url.
///
/// The protected header must be a JSON object with a string `alg` (not "none") and an `x5c` array of standard,
/// padded base64 DER certificates (RFC 7515 §4.1.6), leaf first; a `crit` member is refused (RFC 7515 §4.1.11: an
/// extension this reader does not know must not be ignored). JSON is read by PasskeyJSON's strict reader (UTF-8
/// validated, duplicate names rejected, depth and size capped). Every size is checked before anything is decoded.
/// Parsing only: the signature over `signingInput` is for the caller to verify.
public struct CompactJWS: Sendable {
    /// Upper bound on the whole JWS (real SafetyNet responses are 5–9 KiB).
    public static let maximumBytes = 32 * 1024
    /// Upper bound on x5c (real ones hold two certificates).
    public static let maximumCertificates = 8
    /// Upper bound on the signature (RSA-8192 is 1024 bytes).
    public static let maximumSignatureBytes = 1024

    /// The header's `alg`.
    public let algorithm: String
    /// The header's x5c, DER, leaf first.
    public let certificates: [[UInt8]]
    /// The ASCII bytes the signature covers: the first two parts with the dot between them.
    public let signingInput: [UInt8]
    /// The decoded signature (for ES256 the raw 64-byte r || s of RFC 7518 §3.4).
    public let signature: [UInt8]
    /// The decoded header and payload (JSON texts).
    public let header: [UInt8]
    public let payload: [UInt8]

    public init(_ bytes: [UInt8]) throws(CompactJWSError) {
        guard bytes.count <= Self.maximumBytes else {
            throw CompactJWSError("the JWS is \(bytes.count) bytes; at most \(Self.maximumBytes) are accepted")
        }
        // Exactly two dots: one pass.
        var dots: [Int] = []
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: ".") {
            guard dots.count < 2 else { throw CompactJWSError("the JWS has more than three parts") }
            dots.append(i)
        }
        guard dots.count == 2 else { throw CompactJWSError("the JWS is not three dot-separated parts") }
        let headerPart = bytes[..<dots[0]], payloadPart = bytes[(dots[0] + 1)..<dots[1]], signaturePart = bytes[(dots[1] + 1)...]
        guard !headerPart.isEmpty, !payloadPart.isEmpty, !signaturePart.isEmpty else {
            throw CompactJWSError("a JWS part is empty")
        }
        guard Base64URL.maximumDecodedCount(encodedCount: signaturePart.count) <= Self.maximumSignatureBytes else {
            throw CompactJWSError("the JWS signature is longer than \(Self.maximumSignatureBytes) bytes")
        }
        func decode(_ part: ArraySlice<UInt8>, _ name: String) throws(CompactJWSError) -> [UInt8] {
            let decoded = part.withUnsafeBytes { Base64URL.decode($0) }
            guard let decoded else { throw CompactJWSError("the JWS \(name) is not canonical unpadded base64url") }
            return decoded
        }
        header = try decode(headerPart, "header")
        payload = try decode(payloadPart, "payload")
        signature = try decode(signaturePart, "signature")
        signingInput = Array(bytes[..<dots[1]])

        var reader = JSONReader()
        let parsed = try header.withTypedBytes { (raw) throws(CompactJWSError) -> (String, [[UInt8]]) in
            let root: JSONReader.Value
            do {
                root = try reader.parse(raw)
            } catch {
                throw CompactJWSError("the JWS header is not JSON: \(error)")
            }
            guard reader.kind(root) == .object else { throw CompactJWSError("the JWS header is not a JSON object") }
            if reader.member(root, "crit") != nil {
                throw CompactJWSError("the JWS header has 'crit', which this reader does not support")
            }
            guard let algValue = reader.member(root, "alg"), let alg = reader.string(algValue), !alg.isEmpty else {
                throw CompactJWSError("the JWS header has no string 'alg'")
            }
            guard alg != "none" else { throw CompactJWSError("the JWS is unsigned (alg 'none')") }
            guard let x5c = reader.member(root, "x5c"), reader.kind(x5c) == .array else {
                throw CompactJWSError("the JWS header has no 'x5c' array")
            }
            let count = reader.count(x5c)
            guard count >= 1, count <= Self.maximumCertificates else {
                throw CompactJWSError(
                    "the JWS header's x5c has \(count) certificates; 1 to \(Self.maximumCertificates) are accepted")
            }
            var certificates: [[UInt8]] = []
            var failure: CompactJWSError? = nil
            reader.forEachElement(x5c) { element in
                guard failure == nil else { return }
                let der = reader.withDecodedString(element) { Base64.decode($0) } ?? nil
                guard let der, !der.isEmpty else {
                    failure = CompactJWSError("the JWS header's x5c[\(certificates.count)] is not padded standard base64")
                    return
                }
                certificates.append(der)
            }
            if let failure { throw failure }
            return (String(alg.prefix(32)), certificates)
        }
        algorithm = parsed.0
        certificates = parsed.1
    }
}

public struct SafetyNetPayload: Sendable, Hashable {
    public var nonce: String?
    public var timestampMs: Int64?
    public var ctsProfileMatch: Bool?
    public var basicIntegrity: Bool?
    public var apkPackageName: String?

    /// Upper bound on the nonce text that is kept (a base64 SHA-256 is 44 characters).
    public static let maximumNonceCharacters = 256

    public init(nonce: String? = nil, timestampMs: Int64? = nil, ctsProfileMatch: Bool? = nil, basicIntegrity: Bool? = nil,
                apkPackageName: String? = nil) {
        self.nonce = nonce
        self.timestampMs = timestampMs
        self.ctsProfileMatch = ctsProfileMatch
        self.basicIntegrity = basicIntegrity
        self.apkPackageName = apkPackageName
    }

    /// Reads the payload JSON of a SafetyNet JWS; it must be a JSON object.
    public init(json: [UInt8]) throws(CompactJWSError) {
        var reader = JSONReader()
        let values = try json.withTypedBytes { (raw) throws(CompactJWSError) -> SafetyNetPayload in
            let root: JSONReader.Value
            do {
                root = try reader.parse(raw)
            } catch {
                throw CompactJWSError("the JWS payload is not JSON: \(error)")
            }
            guard reader.kind(root) == .object else { throw CompactJWSError("the JWS payload is not a JSON object") }
            var p = SafetyNetPayload()
            if let v = reader.member(root, "nonce"), reader.kind(v) == .string {
                guard let raw = reader.rawStringBytes(v), raw.count <= Self.maximumNonceCharacters else {
                    throw CompactJWSError("the JWS payload nonce is longer than \(Self.maximumNonceCharacters) bytes")
                }
                p.nonce = reader.string(v)
            }
            if let v = reader.member(root, "timestampMs") { p.timestampMs = reader.int64(v) }
            if let v = reader.member(root, "ctsProfileMatch") { p.ctsProfileMatch = reader.bool(v) }
            if let v = reader.member(root, "basicIntegrity") { p.basicIntegrity = reader.bool(v) }
            if let v = reader.member(root, "apkPackageName"), reader.kind(v) == .string,
                let raw = reader.rawStringBytes(v), raw.count <= 256
            {
                p.apkPackageName = reader.string(v)
            }
            return p
        }
        self = values
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` keeping a typed error (the standard one is `rethrows`, which erases it).
    fileprivate func withTypedBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBytes { bytes in Result { () throws(E) -> R in try body(bytes) } }
        return try result.get()
    }
}

/// Why a compact JWS (or its SafetyNet payload) could not be read.
public struct CompactJWSError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
