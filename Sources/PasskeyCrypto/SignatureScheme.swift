/// How a signature is produced and checked.
public enum SignatureScheme: Sendable, Hashable {
    /// ECDSA over the digest; the signature is a DER Ecdsa-Sig-Value.
    case ecdsa(HashAlgorithm)
    /// RSASSA-PKCS1-v1_5 (DigestInfo with the hash's OID).
    case rsaPKCS1v15(HashAlgorithm)
    /// RSASSA-PSS with MGF1 over the same hash and salt length = digest length.
    /// Verification requires exactly that salt length.
    case rsaPSS(HashAlgorithm)
    /// Pure Ed25519 / Ed448 over the whole message (no pre-hash, empty context).
    case eddsa

    /// The pre-hash, or nil for EdDSA.
    public var hash: HashAlgorithm? {
        switch self {
        case .ecdsa(let h), .rsaPKCS1v15(let h), .rsaPSS(let h): h
        case .eddsa: nil
        }
    }

    /// Identifies an EVP_PKEY_CTX configuration for verify-context caching. ECDSA
    /// contexts carry no digest (its length is checked by the caller), so every ECDSA
    /// hash shares one configuration.
    var verifyConfiguration: UInt8 {
        switch self {
        case .ecdsa: 0x01
        case .rsaPKCS1v15(let h): 0x10 | h.index
        case .rsaPSS(let h): 0x20 | h.index
        case .eddsa: 0x30
        }
    }
}
