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
                let der = reader.withDecodedString(element) { Self.decodeStandardBase64($0) } ?? nil
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

    // MARK: - Standard base64 (RFC 4648 §4), strict

    /// Decodes canonical, padded standard base64 (no whitespace, exact padding, zero unused bits); nil otherwise.
    public static func decodeStandardBase64(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        guard input.count % 4 == 0 else { return nil }
        // Map the standard alphabet onto base64url's and let its strict decoder do the rest; '-' and '_' are not
        // standard base64, so they are refused first.
        var mapped = [UInt8](repeating: 0, count: input.count)
        for i in 0..<input.count {
            switch input[i] {
            case UInt8(ascii: "-"), UInt8(ascii: "_"): return nil
            case UInt8(ascii: "+"): mapped[i] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): mapped[i] = UInt8(ascii: "_")
            case let c: mapped[i] = c
            }
        }
        return mapped.withUnsafeBytes { Base64URL.decode($0, allowPadding: true) }
    }

    public static func decodeStandardBase64(_ string: String) -> [UInt8]? {
        var s = string
        return s.withUTF8 { decodeStandardBase64(UnsafeRawBufferPointer($0)) }
    }

    /// Standard base64 with padding.
    public static func encodeStandardBase64(_ bytes: [UInt8]) -> String {
        var s = String(Base64URL.encode(bytes).map { c -> Character in
            switch c {
            case "-": "+"
            case "_": "/"
            default: c
            }
        })
        while s.utf8.count % 4 != 0 { s += "=" }
        return s
    }

    // MARK: - ECDSA signatures (RFC 7518 §3.4)

    /// The DER `ECDSA-Sig-Value` for a raw JWS ECDSA signature `r || s` (each half `coordinateBytes` long), or nil when
    /// the length is not twice that.
    public static func derECDSASignature(raw: [UInt8], coordinateBytes: Int) -> [UInt8]? {
        guard coordinateBytes > 0, raw.count == 2 * coordinateBytes else { return nil }
        func integer(_ half: ArraySlice<UInt8>) -> [UInt8] {
            var v = Array(half.drop { $0 == 0 })
            if v.isEmpty { v = [0] }
            if v[0] & 0x80 != 0 { v.insert(0, at: 0) }
            return [0x02] + derLength(v.count) + v
        }
        let body = integer(raw[..<coordinateBytes]) + integer(raw[coordinateBytes...])
        return [0x30] + derLength(body.count) + body
    }

    private static func derLength(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        if n <= 0xFF { return [0x81, UInt8(n)] }
        return [0x82, UInt8(n >> 8), UInt8(n & 0xFF)]
    }
}

/// The SafetyNet attestation payload members WebAuthn and passkeyd read
/// (developer.android.com/privacy-and-security/safetynet/attestation, "Use the SafetyNet Attestation API response").
/// A member that is absent or of another JSON type is nil: the ceremony decides what that means.
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
