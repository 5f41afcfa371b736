import PasskeyJSON
public import PasskeyCOSE
public import PasskeyCrypto
public import PasskeyWebAuthn
import PasskeyCBOR

/// A software authenticator: real keys from OpenSSL, real CBOR, producing the bytes a browser hands a relying party.
/// For tests and benchmark corpora only — keys live in memory and nothing is protected.
public final class SoftAuthenticator: @unchecked Sendable {
    public let algorithm: COSEAlgorithm
    public let privateKey: PrivateKey
    public let credentialID: [UInt8]
    public let aaguid: [UInt8]
    public var signCount: UInt32

    public init(
        algorithm: COSEAlgorithm, credentialID: [UInt8]? = nil, aaguid: [UInt8]? = nil, signCount: UInt32 = 0,
        rsaBits: Int = 2048
    ) throws {
        self.algorithm = algorithm
        switch algorithm.keyType {
        case .ec2:
            switch algorithm.requiredCurve {
            case .p384?: privateKey = try PrivateKey.generateEC(.p384)
            case .p521?: privateKey = try PrivateKey.generateEC(.p521)
            case .secp256k1?: privateKey = try PrivateKey.generateEC(.secp256k1)
            default: privateKey = try PrivateKey.generateEC(.p256)
            }
        case .okp:
            privateKey = try PrivateKey.generateEdwards(algorithm == .ed448 ? .ed448 : .ed25519)
        case .rsa:
            privateKey = try PrivateKey.generateRSA(bits: rsaBits)
        }
        self.credentialID = credentialID ?? SoftRandom.bytes(32)
        self.aaguid = aaguid ?? SoftRandom.bytes(16)
        self.signCount = signCount
    }

    /// Wraps an existing key (e.g. an Ed448 key under EdDSA -8, which verifiers must refuse).
    public init(algorithm: COSEAlgorithm, privateKey: PrivateKey, credentialID: [UInt8], aaguid: [UInt8], signCount: UInt32 = 0) {
        self.algorithm = algorithm
        self.privateKey = privateKey
        self.credentialID = credentialID
        self.aaguid = aaguid
        self.signCount = signCount
    }

    /// The credential public key as a COSE_Key, in CTAP2 canonical order.
    public var cosePublicKey: [UInt8] { COSEEncoding.encode(privateKey.publicComponents, algorithm: algorithm) }

    /// Signs with the credential key using its algorithm.
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        try privateKey.sign(message, scheme: algorithm.signatureScheme)
    }

    /// Authenticator data: rpIdHash, flags, counter, and (when `attested`) the attested credential data; extensions
    /// (already-encoded CBOR) are appended as given, and ED is set when they are.
    /// `aaguid` overrides the authenticator's own (U2F devices have none: the client writes zeros).
    public func authenticatorData(
        rpId: String, flags: AuthenticatorFlags, signCount: UInt32, attested: Bool, extensions: [UInt8]? = nil,
        aaguid: [UInt8]? = nil
    ) -> [UInt8] {
        var out = SoftHash.sha256(Array(rpId.utf8))
        var f = flags
        if attested { f.insert(.attestedCredentialData) }
        if extensions != nil { f.insert(.extensionData) }
        out.append(f.rawValue)
        out.append(contentsOf: [UInt8(signCount >> 24), UInt8(signCount >> 16 & 0xFF), UInt8(signCount >> 8 & 0xFF), UInt8(signCount & 0xFF)])
        if attested {
            out.append(contentsOf: aaguid ?? self.aaguid)
            out.append(UInt8(credentialID.count >> 8))
            out.append(UInt8(credentialID.count & 0xFF))
            out.append(contentsOf: credentialID)
            out.append(contentsOf: cosePublicKey)
        }
        if let extensions { out.append(contentsOf: extensions) }
        return out
    }
}

/// `clientDataJSON` as a browser serializes it (members in the spec's order, then extras).
public enum ClientDataJSON {
    public static func make(
        type: String, challenge: [UInt8], origin: String, crossOrigin: Bool? = false, topOrigin: String? = nil,
        extra: String = ""
    ) -> [UInt8] {
        var s = "{\"type\":\"\(type)\",\"challenge\":\"\(Base64URL.encode(challenge))\",\"origin\":\"\(origin)\""
        if let crossOrigin { s += ",\"crossOrigin\":\(crossOrigin)" }
        if let topOrigin { s += ",\"topOrigin\":\"\(topOrigin)\"" }
        s += extra
        s += "}"
        return Array(s.utf8)
    }
}

/// SHA-256 for the authenticator side (through the crypto wrapper).
enum SoftHash {
    static func sha256(_ b: [UInt8]) -> [UInt8] {
        let v = SignatureVerifier()
        var out = [UInt8](repeating: 0, count: 32)
        b.withUnsafeBytes { input in out.withUnsafeMutableBytes { v.sha256(input, into: $0) } }
        return out
    }
}

/// Test randomness: a SystemRandomNumberGenerator is enough for ids; keys come from OpenSSL.
public enum SoftRandom {
    public static func bytes(_ n: Int) -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
    }
}
