/// A word the server sends from a documented set (an attestation format, type or trust source), as an enum that still
/// carries a word a newer server adds (`other`), so decoding never fails on it.
public protocol PasskeydWord: RawRepresentable<String>, Hashable, Sendable, CustomStringConvertible {
    /// Every value this build knows.
    static var known: [Self] { get }
    /// A word this build does not know.
    static func other(_ word: String) -> Self
}

extension PasskeydWord {
    public init(rawValue: String) { self = Self.known.first { $0.rawValue == rawValue } ?? .other(rawValue) }
    public var description: String { rawValue }
}

/// The attestation statement format (WebAuthn §8), as `fmt` spells it.
public enum PasskeydAttestationFormat: PasskeydWord {
    case none, packed, tpm, androidKey, androidSafetyNet, fidoU2F, apple, compound
    case other(String)

    public static let known: [Self] = [.none, .packed, .tpm, .androidKey, .androidSafetyNet, .fidoU2F, .apple, .compound]

    public var rawValue: String {
        switch self {
        case .none: "none"
        case .packed: "packed"
        case .tpm: "tpm"
        case .androidKey: "android-key"
        case .androidSafetyNet: "android-safetynet"
        case .fidoU2F: "fido-u2f"
        case .apple: "apple"
        case .compound: "compound"
        case let .other(word): word
        }
    }
}

/// How the attestation vouches for the credential (WebAuthn §6.5.4).
public enum PasskeydAttestationType: PasskeydWord {
    case none
    /// Self attestation: signed by the credential key itself.
    case selfAttestation
    case basic
    /// Attestation CA (tpm).
    case attCA
    /// Anonymization CA (apple).
    case anonCA
    case other(String)

    public static let known: [Self] = [.none, .selfAttestation, .basic, .attCA, .anonCA]

    public var rawValue: String {
        switch self {
        case .none: "none"
        case .selfAttestation: "self"
        case .basic: "basic"
        case .attCA: "attca"
        case .anonCA: "anonca"
        case let .other(word): word
        }
    }
}

/// Where a trusted attestation's chain was anchored.
public enum PasskeydTrustSource: PasskeydWord {
    /// The policy's own trust anchors.
    case anchors
    /// The format's roots (the vendors' published roots, or the server's configured ones).
    case formatRoots
    /// The FIDO metadata entry of the authenticator.
    case metadata
    case other(String)

    public static let known: [Self] = [.anchors, .formatRoots, .metadata]

    public var rawValue: String {
        switch self {
        case .anchors: "anchors"
        case .formatRoots: "format_roots"
        case .metadata: "metadata"
        case let .other(word): word
        }
    }
}
