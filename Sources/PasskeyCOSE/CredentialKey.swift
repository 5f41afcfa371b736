public import PasskeyCrypto
public import PasskeyMLDSA

/// A credential public key ready to verify: an OpenSSL key for every classic algorithm, or an ML-DSA key (PasskeyMLDSA)
/// for ML-DSA-65/87. What a `KeyCache.Entry` holds; the verifier switches on it once per signature.
public enum CredentialKey: Sendable {
    case openssl(PublicKey)
    case mldsa(MLDSAPublicKey)

    /// The OpenSSL key, nil for ML-DSA (certificate comparisons and OpenSSL-only checks use this).
    public var openSSLKey: PublicKey? {
        if case let .openssl(key) = self { return key }
        return nil
    }

    /// What the key costs while cached (the cache's byte budget): see `PublicKey.estimatedMemoryBytes` and
    /// `MLDSAPublicKey.estimatedMemoryBytes`.
    public var estimatedMemoryBytes: Int {
        switch self {
        case let .openssl(key): key.estimatedMemoryBytes
        case let .mldsa(key): key.estimatedMemoryBytes
        }
    }
}

extension CredentialKey: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .openssl(key): key.description
        case let .mldsa(key): key.description
        }
    }
}
