public import PasskeyCrypto
public import PasskeyMLDSA

/// A credential public key ready to verify: an OpenSSL key for every classic algorithm, or an ML-DSA key (PasskeyMLDSA)
/// for ML-DSA-65/87. What a `KeyCache.Entry` holds; the verifier switches on `kind` once per signature.
///
/// Exactly one of the two is set (only `openssl(_:)` and `mldsa(_:)` make one). They are stored as two optionals rather
/// than as an enum with two reference payloads because such an enum keeps its case in the spare bits of the reference,
/// and a leak checker (LeakSanitizer in the fuzz build) cannot follow a tagged reference: every cached ML-DSA key would
/// be reported as leaked. An optional reference is stored as the plain pointer.
public struct CredentialKey: Sendable {
    public enum Kind {
        case openssl(PublicKey)
        case mldsa(MLDSAPublicKey)
    }

    /// The OpenSSL key, nil for ML-DSA (certificate comparisons and OpenSSL-only checks use this).
    public let openSSLKey: PublicKey?
    /// The ML-DSA key, nil for the classic algorithms.
    public let mldsaKey: MLDSAPublicKey?

    private init(openSSLKey: PublicKey?, mldsaKey: MLDSAPublicKey?) {
        self.openSSLKey = openSSLKey
        self.mldsaKey = mldsaKey
    }

    public static func openssl(_ key: PublicKey) -> CredentialKey { CredentialKey(openSSLKey: key, mldsaKey: nil) }
    public static func mldsa(_ key: MLDSAPublicKey) -> CredentialKey { CredentialKey(openSSLKey: nil, mldsaKey: key) }

    /// Which key this is, to switch on.
    @inline(__always)
    public var kind: Kind {
        if let key = openSSLKey { return .openssl(key) }
        guard let key = mldsaKey else { preconditionFailure("a CredentialKey holds one key") }
        return .mldsa(key)
    }

    /// What the key costs while cached (the cache's byte budget): see `PublicKey.estimatedMemoryBytes` and
    /// `MLDSAPublicKey.estimatedMemoryBytes`.
    public var estimatedMemoryBytes: Int {
        switch kind {
        case let .openssl(key): key.estimatedMemoryBytes
        case let .mldsa(key): key.estimatedMemoryBytes
        }
    }
}

extension CredentialKey: CustomStringConvertible {
    public var description: String {
        switch kind {
        case let .openssl(key): key.description
        case let .mldsa(key): key.description
        }
    }
}
