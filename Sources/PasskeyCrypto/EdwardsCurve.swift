internal import CPasskeyOpenSSL

/// An Edwards curve for pure EdDSA.
public enum EdwardsCurve: Sendable, Hashable, CaseIterable {
    case ed25519, ed448

    /// Bytes in an encoded public key: 32, 57.
    public var publicKeyByteCount: Int {
        switch self {
        case .ed25519: 32
        case .ed448: 57
        }
    }

    /// Bytes in a signature: 64, 114.
    public var signatureByteCount: Int {
        switch self {
        case .ed25519: 64
        case .ed448: 114
        }
    }

    var shimID: Int32 {
        switch self {
        case .ed25519: PASSKEY_CURVE_ED25519
        case .ed448: PASSKEY_CURVE_ED448
        }
    }

    /// OpenSSL's key type name.
    var opensslName: String {
        switch self {
        case .ed25519: "ED25519"
        case .ed448: "ED448"
        }
    }
}
