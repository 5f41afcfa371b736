import PasskeyJSON
public import PasskeyCOSE
public import PasskeyCrypto
public import PasskeyWebAuthn
import PasskeyMLDSA
import PasskeyCBOR

/// A software authenticator: real keys from OpenSSL (ML-DSA keys from swift-crypto), real CBOR, producing the bytes a
/// browser hands a relying party. For tests and benchmark corpora only — keys live in memory and nothing is protected.
public final class SoftAuthenticator: @unchecked Sendable {
    /// The credential's private key: OpenSSL's for every classic algorithm, swift-crypto's for ML-DSA. Exactly one is
    /// set; two optionals rather than a two-payload enum, whose tagged references leak checkers cannot follow.
    public struct CredentialPrivateKey: Sendable {
        public let openSSLKey: PrivateKey?
        public let mldsaKey: SoftMLDSAKey?
        public static func openssl(_ key: PrivateKey) -> Self { Self(openSSLKey: key, mldsaKey: nil) }
        public static func mldsa(_ key: SoftMLDSAKey) -> Self { Self(openSSLKey: nil, mldsaKey: key) }
        private init(openSSLKey: PrivateKey?, mldsaKey: SoftMLDSAKey?) {
            self.openSSLKey = openSSLKey
            self.mldsaKey = mldsaKey
        }
    }

    public let algorithm: COSEAlgorithm
    public let credentialPrivateKey: CredentialPrivateKey
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
            case .p384?: credentialPrivateKey = .openssl(try PrivateKey.generateEC(.p384))
            case .p521?: credentialPrivateKey = .openssl(try PrivateKey.generateEC(.p521))
            case .secp256k1?: credentialPrivateKey = .openssl(try PrivateKey.generateEC(.secp256k1))
            default: credentialPrivateKey = .openssl(try PrivateKey.generateEC(.p256))
            }
        case .okp:
            credentialPrivateKey = .openssl(try PrivateKey.generateEdwards(algorithm == .ed448 ? .ed448 : .ed25519))
        case .rsa:
            credentialPrivateKey = .openssl(try PrivateKey.generateRSA(bits: rsaBits))
        case .akp:
            guard let parameterSet = algorithm.mldsaParameterSet else { throw SoftError("no AKP key for \(algorithm)") }
            credentialPrivateKey = .mldsa(try SoftMLDSAKey(parameterSet))
        }
        self.credentialID = credentialID ?? SoftRandom.bytes(32)
        self.aaguid = aaguid ?? SoftRandom.bytes(16)
        self.signCount = signCount
    }

    /// Wraps an existing key (e.g. an Ed448 key under EdDSA -8, which verifiers must refuse).
    public init(algorithm: COSEAlgorithm, privateKey: PrivateKey, credentialID: [UInt8], aaguid: [UInt8], signCount: UInt32 = 0) {
        self.algorithm = algorithm
        self.credentialPrivateKey = .openssl(privateKey)
        self.credentialID = credentialID
        self.aaguid = aaguid
        self.signCount = signCount
    }

    /// Wraps an existing ML-DSA key (e.g. an ML-DSA-65 key under ML-DSA-87's identifier, which verifiers must refuse).
    public init(algorithm: COSEAlgorithm, mldsaKey: SoftMLDSAKey, credentialID: [UInt8], aaguid: [UInt8], signCount: UInt32 = 0) {
        self.algorithm = algorithm
        self.credentialPrivateKey = .mldsa(mldsaKey)
        self.credentialID = credentialID
        self.aaguid = aaguid
        self.signCount = signCount
    }

    /// The OpenSSL private key of a classic credential. An ML-DSA authenticator has none (use `credentialPrivateKey`);
    /// asking for it is a mistake in the test.
    public var privateKey: PrivateKey {
        guard let key = credentialPrivateKey.openSSLKey else {
            preconditionFailure("an ML-DSA soft authenticator has no OpenSSL private key")
        }
        return key
    }

    /// The credential public key as a COSE_Key, in CTAP2 canonical order.
    public var cosePublicKey: [UInt8] {
        if let key = credentialPrivateKey.mldsaKey {
            return COSEEncoding.encodeAKP(publicKey: key.publicKey, algorithm: algorithm)
        }
        return COSEEncoding.encode(privateKey.publicComponents, algorithm: algorithm)
    }

    /// Signs with the credential key using its algorithm (ML-DSA: pure, empty context).
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        if let key = credentialPrivateKey.mldsaKey { return try key.sign(message) }
        guard let scheme = algorithm.signatureScheme else { throw SoftError("an OpenSSL key cannot sign \(algorithm)") }
        return try privateKey.sign(message, scheme: scheme)
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
