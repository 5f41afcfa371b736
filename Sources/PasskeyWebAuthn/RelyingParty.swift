import PasskeyJSON
import PasskeyCrypto

/// A relying party: its RP ID, the origins its ceremonies may come from, and its policy. Built once, shared by all threads.
public struct RelyingParty: Sendable {
    public let id: String
    /// SHA-256 of the RP ID, compared with the authenticator data's rpIdHash.
    public let idHash: [UInt8]
    /// Allowed origins, exact strings (`https://example.com`, `android:apk-key-hash:...`).
    public let origins: [String]
    public let policy: Policy
    /// SHA-256 of the policy's AppID, when it has one: the rpIdHash of assertions made with the appid extension.
    let appIDHash: [UInt8]?
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
        try policy.options.validate()
        if let appID = policy.appID {
            guard appID.hasPrefix("https://"), appID.utf8.count > 8, appID.utf8.count <= 2048 else {
                throw WebAuthnError(.malformedRequest, "the AppID must be an https URL of at most 2048 bytes")
            }
        }
        self.id = id
        self.origins = all
        self.policy = policy
        self.originBytes = all.map { Array($0.utf8) }
        self.topOriginBytes = policy.allowedTopOrigins.map { Array($0.utf8) }
        let verifier = SignatureVerifier()
        self.idHash = Self.sha256(id, verifier)
        self.appIDHash = policy.appID.map { Self.sha256($0, verifier) }
    }

    static func sha256(_ text: String, _ verifier: SignatureVerifier) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var copy = text
        copy.withUTF8 { utf8 in
            digest.withUnsafeMutableBytes { verifier.sha256(UnsafeRawBufferPointer(utf8), into: $0) }
        }
        return digest
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
