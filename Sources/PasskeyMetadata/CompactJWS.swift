import PasskeyCrypto
import PasskeyJSON

/// The JWS algorithms passkeyd verifies a metadata BLOB with: RFC 7518 §3.1's asymmetric ones that OpenSSL checks
/// (MDS3 §3.1.7 names no closed set; the FIDO BLOB is RS256). `none` and the HMAC algorithms are refused: a BLOB is
/// trusted for its signature by a certificate, never for a shared secret or nothing.
enum JWSAlgorithm: String, CaseIterable {
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256", ps384 = "PS384", ps512 = "PS512"
    case es256 = "ES256", es384 = "ES384", es512 = "ES512"

    var scheme: SignatureScheme {
        switch self {
        case .rs256: .rsaPKCS1v15(.sha256)
        case .rs384: .rsaPKCS1v15(.sha384)
        case .rs512: .rsaPKCS1v15(.sha512)
        case .ps256: .rsaPSS(.sha256)
        case .ps384: .rsaPSS(.sha384)
        case .ps512: .rsaPSS(.sha512)
        case .es256: .ecdsa(.sha256)
        case .es384: .ecdsa(.sha384)
        case .es512: .ecdsa(.sha512)
        }
    }

    /// RFC 7518 §3.4: ES256 is P-256 with SHA-256, ES384 P-384, ES512 P-521. nil for the RSA algorithms.
    var curve: ECCurve? {
        switch self {
        case .es256: .p256
        case .es384: .p384
        case .es512: .p521
        default: nil
        }
    }

    /// Whether `key` is the kind this algorithm signs with (RSA keys are ≥ 2048 bits: `Certificate.publicKey`).
    func fits(_ key: PublicKey) -> Bool {
        switch (curve, key.kind) {
        case (let c?, .ec(let k)): c == k
        case (nil, .rsa): true
        default: false
        }
    }
}

/// A compact-serialised JWS (RFC 7515 §7.1): `BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature)`,
/// as ranges of the caller's bytes.
struct CompactJWS {
    let header: Range<Int>
    let payload: Range<Int>
    let signature: Range<Int>
    /// What the signature covers: the ASCII of the first two parts with the dot between them.
    var signingInput: Range<Int> { header.lowerBound..<payload.upperBound }

    /// Splits `bytes` at its two dots; every part must be non-empty base64url characters (the payload may not be
    /// empty either: a BLOB without a payload says nothing).
    static func split(_ bytes: UnsafeRawBufferPointer) throws(MetadataError) -> CompactJWS {
        var dots: [Int] = []
        for i in 0..<bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: ".") {
                guard dots.count < 2 else { throw MetadataError(.malformedJWS, "more than three dot-separated parts") }
                dots.append(i)
                continue
            }
            let ok = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F
            guard ok else {
                throw MetadataError(.malformedJWS, "byte 0x\(String(c, radix: 16)) at offset \(i) is not base64url or a dot")
            }
        }
        guard dots.count == 2 else { throw MetadataError(.malformedJWS, "not three dot-separated parts (JWS compact serialisation)") }
        let jws = CompactJWS(header: 0..<dots[0], payload: (dots[0] + 1)..<dots[1], signature: (dots[1] + 1)..<bytes.count)
        guard !jws.header.isEmpty, !jws.payload.isEmpty, !jws.signature.isEmpty else {
            throw MetadataError(.malformedJWS, "an empty header, payload or signature part")
        }
        return jws
    }

    /// base64url-decodes one part (no padding, canonical), refusing it before decoding when it would exceed `maxBytes`.
    static func decode(_ bytes: UnsafeRawBufferPointer, _ part: Range<Int>, maxBytes: Int, what: String) throws(MetadataError) -> [UInt8] {
        let encoded = UnsafeRawBufferPointer(rebasing: bytes[part])
        let size = Base64URL.maximumDecodedCount(encodedCount: encoded.count)
        guard size <= maxBytes else {
            throw MetadataError(.tooLarge, "the \(what) would decode to \(size) bytes; the limit is \(maxBytes)")
        }
        var out = [UInt8](repeating: 0, count: size)
        let n = out.withUnsafeMutableBytes { Base64URL.decode(encoded, into: $0) }
        guard let n else { throw MetadataError(.malformedJWS, "the \(what) is not canonical base64url") }
        out.removeSubrange(n...)
        return out
    }
}

/// The JWS header members of a metadata BLOB (MDS3 §3.1.7; RFC 7515 §4.1).
struct BLOBHeader {
    let algorithm: JWSAlgorithm
    /// `x5c` as DER, leaf first; empty when the header has none (the configured root then signs the BLOB itself).
    let chain: [[UInt8]]

    static func parse(_ json: [UInt8], limits: MetadataBLOB.Limits) throws(MetadataError) -> BLOBHeader {
        try withBytes(json) { (bytes) throws(MetadataError) -> BLOBHeader in
            var reader = JSONReader()
            let root: JSONReader.Value
            do {
                root = try reader.parse(bytes)
            } catch {
                throw MetadataError(.malformedJWS, "the header is not strict JSON: \(error)")
            }
            guard reader.kind(root) == .object else { throw MetadataError(.malformedJWS, "the header is not a JSON object") }
            // RFC 7515 §4.1.11: extensions listed in `crit` must be understood; passkeyd understands none.
            if reader.member(root, "crit") != nil {
                throw MetadataError(.malformedJWS, "the header has 'crit' extensions, which passkeyd does not implement")
            }
            // MDS3 §3.2: x5u names a chain to download; offline, there is nothing to fetch it with.
            if reader.member(root, "x5u") != nil {
                throw MetadataError(.malformedJWS, "the header names its chain by URL (x5u); passkeyd is offline and needs x5c")
            }
            guard let algValue = reader.member(root, "alg"), let alg = reader.string(algValue) else {
                throw MetadataError(.malformedJWS, "the header has no 'alg' string")
            }
            guard let algorithm = JWSAlgorithm(rawValue: alg) else {
                throw MetadataError(.unsupportedAlgorithm, "alg '\(clipped(alg))' is not one of RS256/384/512, PS256/384/512, ES256/384/512")
            }
            if let typ = reader.member(root, "typ") {
                guard reader.string(typ, equals: "JWT") else {
                    throw MetadataError(.malformedJWS, "the header's 'typ' is not \"JWT\"")
                }
            }
            var chain: [[UInt8]] = []
            if let x5c = reader.member(root, "x5c") {
                guard reader.kind(x5c) == .array, reader.count(x5c) > 0 else {
                    throw MetadataError(.malformedJWS, "the header's 'x5c' is not a non-empty array")
                }
                guard reader.count(x5c) <= limits.maxChainCertificates else {
                    throw MetadataError(.limitExceeded, "x5c has \(reader.count(x5c)) certificates; at most \(limits.maxChainCertificates)")
                }
                var elements: [JSONReader.Value] = []
                reader.forEachElement(x5c) { elements.append($0) }
                for (i, e) in elements.enumerated() {
                    // RFC 7515 §4.1.6: standard base64 (not base64url) DER, leaf first. JSON may escape the '/'
                    // of base64 as "\/", so the string is decoded first (its raw length bounds the work).
                    let maxRaw = (limits.maxCertificateBytes / 3 + 1) * 4 * 6
                    guard let raw = reader.rawStringBytes(e), raw.count <= maxRaw,
                        let der = reader.withDecodedString(e, { TextEncodings.base64($0, maxBytes: limits.maxCertificateBytes) }) ?? nil
                    else {
                        throw MetadataError(.malformedJWS, "x5c[\(i)] is not a base64 string of at most \(limits.maxCertificateBytes) bytes")
                    }
                    chain.append(der)
                }
            }
            return BLOBHeader(algorithm: algorithm, chain: chain)
        }
    }
}

/// `body` over the bytes of `array`, keeping the error's type (Array.withUnsafeBytes rethrows untyped).
func withBytes<R>(_ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(MetadataError) -> R) throws(MetadataError) -> R {
    let result = array.withUnsafeBytes { bytes in Result { () throws(MetadataError) -> R in try body(bytes) } }
    return try result.get()
}
