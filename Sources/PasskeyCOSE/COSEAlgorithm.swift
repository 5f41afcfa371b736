public import PasskeyCrypto
public import PasskeyMLDSA

/// COSE signature algorithms (IANA "COSE Algorithms") that WebAuthn authenticators produce.
public enum COSEAlgorithm: Int64, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case es256 = -7
    case es384 = -35
    case es512 = -36
    case es256k = -47
    /// Fully specified ECDSA (RFC 9864): the curve is part of the algorithm.
    case esp256 = -9
    case esp384 = -51
    case esp512 = -52
    /// EdDSA. WebAuthn L3 §5.8.5: keys with algorithm EdDSA (-8) MUST use Ed25519 (crv 6); Ed448 is valid only under
    /// its own identifier (-53).
    case eddsa = -8
    /// Fully specified EdDSA (RFC 9864).
    case ed25519 = -19
    case ed448 = -53
    case ps256 = -37
    case ps384 = -38
    case ps512 = -39
    case rs256 = -257
    case rs384 = -258
    case rs512 = -259
    /// RSASSA-PKCS1-v1_5 with SHA-1. Only when a policy enables it.
    case rs1 = -65535
    /// ML-DSA-65 and ML-DSA-87 (FIPS 204, pure, empty context), key type AKP (RFC 9964 §8.1.1). Verified by
    /// PasskeyMLDSA through swift-crypto, not OpenSSL. ML-DSA-44 (-48) is not a case: see `refusalReason(_:)`.
    case mldsa65 = -49
    case mldsa87 = -50

    /// Everything supported except RS1.
    public static let defaultAllowed: Set<COSEAlgorithm> = Set(allCases.filter { $0 != .rs1 })

    /// ML-DSA-44's COSE identifier (RFC 9964 §8.1.1.1). Recognised only to be refused by name.
    public static let mldsa44RawValue: Int64 = -48

    /// Why an identifier that is not a case is refused: ML-DSA-44 by name, anything else as unknown.
    public static func refusalReason(_ rawValue: Int64) -> String {
        if rawValue == mldsa44RawValue {
            return "COSE algorithm -48 (ML-DSA-44) is not supported: only ML-DSA-65 (-49) and ML-DSA-87 (-50) are"
        }
        return "COSE algorithm \(rawValue) is not supported"
    }

    public var name: String {
        switch self {
        case .es256: "ES256"
        case .es384: "ES384"
        case .es512: "ES512"
        case .es256k: "ES256K"
        case .esp256: "ESP256"
        case .esp384: "ESP384"
        case .esp512: "ESP512"
        case .eddsa: "EdDSA"
        case .ed25519: "Ed25519"
        case .ed448: "Ed448"
        case .ps256: "PS256"
        case .ps384: "PS384"
        case .ps512: "PS512"
        case .rs256: "RS256"
        case .rs384: "RS384"
        case .rs512: "RS512"
        case .rs1: "RS1"
        case .mldsa65: "ML-DSA-65"
        case .mldsa87: "ML-DSA-87"
        }
    }

    public var description: String { "\(name) (\(rawValue))" }

    public var keyType: COSEKeyType {
        switch self {
        case .es256, .es384, .es512, .es256k, .esp256, .esp384, .esp512: .ec2
        case .eddsa, .ed25519, .ed448: .okp
        case .ps256, .ps384, .ps512, .rs256, .rs384, .rs512, .rs1: .rsa
        case .mldsa65, .mldsa87: .akp
        }
    }

    /// How OpenSSL verifies this algorithm, or nil for ML-DSA, which OpenSSL 3.0 cannot verify (see
    /// `mldsaParameterSet`). Callers that hold an OpenSSL key treat nil as "this key cannot carry that algorithm".
    public var signatureScheme: SignatureScheme? {
        switch self {
        case .es256, .es256k, .esp256: .ecdsa(.sha256)
        case .es384, .esp384: .ecdsa(.sha384)
        case .es512, .esp512: .ecdsa(.sha512)
        case .eddsa, .ed25519, .ed448: .eddsa
        case .ps256: .rsaPSS(.sha256)
        case .ps384: .rsaPSS(.sha384)
        case .ps512: .rsaPSS(.sha512)
        case .rs256: .rsaPKCS1v15(.sha256)
        case .rs384: .rsaPKCS1v15(.sha384)
        case .rs512: .rsaPKCS1v15(.sha512)
        case .rs1: .rsaPKCS1v15(.sha1)
        case .mldsa65, .mldsa87: nil
        }
    }

    /// The ML-DSA parameter set, or nil for the algorithms OpenSSL verifies.
    public var mldsaParameterSet: MLDSAParameterSet? {
        switch self {
        case .mldsa65: .mldsa65
        case .mldsa87: .mldsa87
        default: nil
        }
    }

    /// The one curve an EC2/OKP algorithm allows (WebAuthn §5.8.5 pins ES256/384/512 to P-256/384/521 and EdDSA (-8) to
    /// Ed25519), or nil for RSA, which has none.
    public var requiredCurve: COSECurve? {
        switch self {
        case .es256, .esp256: .p256
        case .es384, .esp384: .p384
        case .es512, .esp512: .p521
        case .es256k: .secp256k1
        case .eddsa, .ed25519: .ed25519
        case .ed448: .ed448
        case .ps256, .ps384, .ps512, .rs256, .rs384, .rs512, .rs1, .mldsa65, .mldsa87: nil
        }
    }
}

/// COSE key types (IANA "COSE Key Types").
public enum COSEKeyType: Int64, Sendable, Hashable {
    case okp = 1
    case ec2 = 2
    case rsa = 3
    /// Algorithm Key Pair (RFC 9964 §3, §8.1.2): `alg` says what `pub` holds (here ML-DSA-65/87 public keys).
    case akp = 7
}

/// COSE elliptic curves (IANA "COSE Elliptic Curves").
public enum COSECurve: Int64, Sendable, Hashable, CustomStringConvertible {
    case p256 = 1
    case p384 = 2
    case p521 = 3
    case ed25519 = 6
    case ed448 = 7
    case secp256k1 = 8

    public var keyType: COSEKeyType {
        switch self {
        case .p256, .p384, .p521, .secp256k1: .ec2
        case .ed25519, .ed448: .okp
        }
    }

    public var description: String {
        switch self {
        case .p256: "P-256"
        case .p384: "P-384"
        case .p521: "P-521"
        case .ed25519: "Ed25519"
        case .ed448: "Ed448"
        case .secp256k1: "secp256k1"
        }
    }
}
