public import PasskeyCrypto

/// FIDO Metadata Service v3 authenticator status values (FIDO Metadata Service §3.1.4, `AuthenticatorStatus`).
public enum AuthenticatorStatus: String, Sendable, Hashable, CaseIterable {
    case notFIDOCertified = "NOT_FIDO_CERTIFIED"
    case fidoCertified = "FIDO_CERTIFIED"
    case userVerificationBypass = "USER_VERIFICATION_BYPASS"
    case attestationKeyCompromise = "ATTESTATION_KEY_COMPROMISE"
    case userKeyRemoteCompromise = "USER_KEY_REMOTE_COMPROMISE"
    case userKeyPhysicalCompromise = "USER_KEY_PHYSICAL_COMPROMISE"
    case updateAvailable = "UPDATE_AVAILABLE"
    case revoked = "REVOKED"
    case selfAssertionSubmitted = "SELF_ASSERTION_SUBMITTED"
    case fidoCertifiedL1 = "FIDO_CERTIFIED_L1"
    case fidoCertifiedL1Plus = "FIDO_CERTIFIED_L1plus"
    case fidoCertifiedL2 = "FIDO_CERTIFIED_L2"
    case fidoCertifiedL2Plus = "FIDO_CERTIFIED_L2plus"
    case fidoCertifiedL3 = "FIDO_CERTIFIED_L3"
    case fidoCertifiedL3Plus = "FIDO_CERTIFIED_L3plus"

    /// Statuses that mean the authenticator (or its attestation key) can no longer be trusted: rejected by default.
    public static let rejectedByDefault: Set<AuthenticatorStatus> = [
        .revoked, .attestationKeyCompromise, .userVerificationBypass, .userKeyRemoteCompromise, .userKeyPhysicalCompromise,
    ]

    /// A FIDO certification level, ordered (nil for statuses that are not a level).
    public var certificationRank: Int? {
        switch self {
        case .fidoCertified: 0
        case .fidoCertifiedL1: 1
        case .fidoCertifiedL1Plus: 2
        case .fidoCertifiedL2: 3
        case .fidoCertifiedL2Plus: 4
        case .fidoCertifiedL3: 5
        case .fidoCertifiedL3Plus: 6
        default: nil
        }
    }
}

/// One status report of a metadata entry.
public struct StatusReport: Sendable, Hashable {
    public let status: AuthenticatorStatus
    /// ISO 8601 date (YYYY-MM-DD) from which the status applies, when given.
    public let effectiveDate: String?
    public init(status: AuthenticatorStatus, effectiveDate: String?) {
        self.status = status
        self.effectiveDate = effectiveDate
    }
}

/// What the metadata knows about one authenticator model, parsed once when the BLOB is loaded.
public struct MetadataEntry: Sendable {
    /// 16 bytes for FIDO2 authenticators; nil for U2F ones, which are known by their key identifiers.
    public let aaguid: [UInt8]?
    /// SHA-1 of the attestation certificates' public keys (RFC 5280 method 1), for U2F authenticators.
    public let attestationCertificateKeyIdentifiers: [[UInt8]]
    public let description: String
    public let statusReports: [StatusReport]
    /// The metadata statement's `attestationTypes` (e.g. "basic_full", "attca").
    public let attestationTypes: [String]
    /// The metadata statement's `attestationRootCertificates`, parsed, with a chain verifier over them.
    public let attestationRootCertificates: [Certificate]
    public let rootVerifier: ChainVerifier?

    public init(
        aaguid: [UInt8]?, attestationCertificateKeyIdentifiers: [[UInt8]] = [], description: String,
        statusReports: [StatusReport], attestationTypes: [String] = [], attestationRootCertificates: [Certificate] = []
    ) {
        self.aaguid = aaguid
        self.attestationCertificateKeyIdentifiers = attestationCertificateKeyIdentifiers
        self.description = description
        self.statusReports = statusReports
        self.attestationTypes = attestationTypes
        self.attestationRootCertificates = attestationRootCertificates
        self.rootVerifier = attestationRootCertificates.isEmpty ? nil : ChainVerifier(trustAnchors: attestationRootCertificates)
    }

    /// The latest status report (the last in effective-date order; reports without a date count as oldest).
    public var latestStatus: AuthenticatorStatus? {
        statusReports.enumerated().max { a, b in
            let da = a.element.effectiveDate ?? "", db = b.element.effectiveDate ?? ""
            return da != db ? da < db : a.offset < b.offset
        }?.element.status
    }

    /// The highest FIDO certification level among the status reports.
    public var certificationLevel: AuthenticatorStatus? {
        statusReports.map(\.status).filter { $0.certificationRank != nil }.max { $0.certificationRank! < $1.certificationRank! }
    }

    /// Statuses among `statusReports` that `rejected` contains (what a policy refuses).
    public func statuses(in rejected: Set<AuthenticatorStatus>) -> [AuthenticatorStatus] {
        statusReports.map(\.status).filter(rejected.contains)
    }
}
