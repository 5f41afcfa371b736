import PasskeyCrypto

/// A relying party: its RP ID, the origins its ceremonies may come from, and its policy. Built once, shared by all threads.
public struct RelyingParty: Sendable {
    public let id: String
    /// SHA-256 of the RP ID, compared with the authenticator data's rpIdHash.
    public let idHash: [UInt8]
    /// Allowed origins, exact strings (`https://example.com`, `android:apk-key-hash:...`).
    public let origins: [String]
    public let policy: Policy
    let originBytes: [[UInt8]]
    let topOriginBytes: [[UInt8]]

    /// - Parameters:
    ///   - id: the RP ID (a registrable domain, e.g. `example.com`).
    ///   - origins: the exact origins allowed in `clientDataJSON.origin`.
    ///   - androidAPKSigningCertificateSHA256: SHA-256 fingerprints of Android app signing certificates, hex with or
    ///     without colons; each becomes the origin `android:apk-key-hash:<base64url of the fingerprint>`.
    public init(
        id: String, origins: [String], androidAPKSigningCertificateSHA256: [String] = [], policy: Policy = Policy()
    ) throws(WebAuthnError) {
        guard !id.isEmpty else { throw WebAuthnError(.malformedRequest, "the RP ID is empty") }
        var all = origins
        for fingerprint in androidAPKSigningCertificateSHA256 {
            all.append(try Self.androidOrigin(fingerprintHex: fingerprint))
        }
        guard !all.isEmpty else { throw WebAuthnError(.malformedRequest, "no allowed origins are configured") }
        self.id = id
        self.origins = all
        self.policy = policy
        self.originBytes = all.map { Array($0.utf8) }
        self.topOriginBytes = policy.allowedTopOrigins.map { Array($0.utf8) }
        let verifier = SignatureVerifier()
        var digest = [UInt8](repeating: 0, count: 32)
        var idCopy = id
        idCopy.withUTF8 { utf8 in
            digest.withUnsafeMutableBytes { verifier.sha256(UnsafeRawBufferPointer(utf8), into: $0) }
        }
        self.idHash = digest
    }

    /// `android:apk-key-hash:` origin for a SHA-256 signing-certificate fingerprint given in hex (colons optional).
    public static func androidOrigin(fingerprintHex: String) throws(WebAuthnError) -> String {
        let hex = fingerprintHex.filter { $0 != ":" }
        guard hex.count == 64, let bytes = Hex.decode(hex) else {
            throw WebAuthnError(
                .malformedRequest,
                "Android signing-certificate fingerprint '\(fingerprintHex)' is not 32 bytes of hex (SHA-256)")
        }
        return "android:apk-key-hash:" + Base64URL.encode(bytes)
    }
}

/// Hex helpers for configuration and output.
public enum Hex {
    public static func decode(_ s: String) -> [UInt8]? {
        let u = Array(s.utf8)
        guard u.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
