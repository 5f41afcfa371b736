public import PasskeyCrypto

/// FIDO Metadata Service v3 authenticator status values (FIDO MDS v3.0 §3.1.4, `AuthenticatorStatus`).
///
/// A status value this build does not know is not a case here: MDS3 says servers must ignore unknown values, so the
/// payload parser records it in `MetadataEntry.unknownStatuses` and no policy acts on it.
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

/// One status report of a metadata entry (MDS3 §3.1.3, the members passkeyd uses).
public struct StatusReport: Sendable, Hashable {
    public let status: AuthenticatorStatus
    /// ISO 8601 date (YYYY-MM-DD) from which the status applies, when given.
    public let effectiveDate: String?
    /// The firmware version the report is about, when given.
    public let authenticatorVersion: Int64?
    /// The DER certificate the report is about, when given (for ATTESTATION_KEY_COMPROMISE: the compromised batch's
    /// certificate). Recorded, not applied: a rejected status refuses every authenticator of the entry.
    public let certificate: [UInt8]?

    public init(
        status: AuthenticatorStatus, effectiveDate: String?, authenticatorVersion: Int64? = nil, certificate: [UInt8]? = nil
    ) {
        self.status = status
        self.effectiveDate = effectiveDate
        self.authenticatorVersion = authenticatorVersion
        self.certificate = certificate
    }
}

/// What the metadata knows about one authenticator model, parsed once when the BLOB is loaded.
public struct MetadataEntry: Sendable {
    /// 16 bytes for FIDO2 authenticators; nil for U2F ones, which are known by their key identifiers.
    public let aaguid: [UInt8]?
    /// FIDO UAF authenticators' AAID ("vvvv#mmmm"); recorded, not indexed (WebAuthn has no AAID).
    public let aaid: String?
    /// SHA-1 of the attestation certificates' public keys (RFC 5280 method 1), for U2F authenticators.
    public let attestationCertificateKeyIdentifiers: [[UInt8]]
    /// The metadata statement's description; empty when the entry has no statement.
    public let description: String
    public let statusReports: [StatusReport]
    /// Status values this build does not know, as written (clipped): ignored by every policy, as MDS3 §3.1.4 asks.
    public let unknownStatuses: [String]
    /// `timeOfLastStatusChange` (YYYY-MM-DD), when given.
    public let timeOfLastStatusChange: String?
    /// The metadata statement's `attestationTypes` (e.g. "basic_full", "attca").
    public let attestationTypes: [String]
    /// The metadata statement's `attestationRootCertificates`, parsed, with a chain verifier over them.
    public let attestationRootCertificates: [Certificate]
    public let rootVerifier: ChainVerifier?
    /// `attestationRootCertificates` elements that were base64 of something OpenSSL (or passkeyd's stricter
    /// certificate rules) would not parse: left out of `attestationRootCertificates`, counted here.
    public let unparsableRootCertificates: Int
    /// Where this entry is in the BLOB's `entries` (0-based); several positions when entries that claim the same
    /// AAGUID or key identifier were merged for a lookup (`MetadataIndex`).
    public let positions: [Int]

    public init(
        aaguid: [UInt8]?, aaid: String? = nil, attestationCertificateKeyIdentifiers: [[UInt8]] = [], description: String,
        statusReports: [StatusReport], unknownStatuses: [String] = [], timeOfLastStatusChange: String? = nil,
        attestationTypes: [String] = [], attestationRootCertificates: [Certificate] = [], unparsableRootCertificates: Int = 0,
        positions: [Int] = []
    ) {
        self.aaguid = aaguid
        self.aaid = aaid
        self.attestationCertificateKeyIdentifiers = attestationCertificateKeyIdentifiers
        self.description = description
        self.statusReports = statusReports
        self.unknownStatuses = unknownStatuses
        self.timeOfLastStatusChange = timeOfLastStatusChange
        self.attestationTypes = attestationTypes
        self.attestationRootCertificates = attestationRootCertificates
        self.rootVerifier = attestationRootCertificates.isEmpty ? nil : ChainVerifier(trustAnchors: attestationRootCertificates)
        self.unparsableRootCertificates = unparsableRootCertificates
        self.positions = positions
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

    /// One entry standing for several that claim the same key (in BLOB order): the first one's description, every
    /// one's status reports (so a status any of them reports applies: fail closed), attestation types and roots.
    static func merging(_ claimants: [MetadataEntry]) -> MetadataEntry {
        let first = claimants[0]
        var types: [String] = []
        var seenTypes = Set<String>()
        for e in claimants {
            for t in e.attestationTypes where seenTypes.insert(t).inserted { types.append(t) }
        }
        return MetadataEntry(
            aaguid: first.aaguid, aaid: first.aaid,
            attestationCertificateKeyIdentifiers: claimants.flatMap(\.attestationCertificateKeyIdentifiers),
            description: first.description, statusReports: claimants.flatMap(\.statusReports),
            unknownStatuses: claimants.flatMap(\.unknownStatuses),
            timeOfLastStatusChange: claimants.compactMap(\.timeOfLastStatusChange).max(),
            attestationTypes: types, attestationRootCertificates: claimants.flatMap(\.attestationRootCertificates),
            unparsableRootCertificates: claimants.reduce(0) { $0 + $1.unparsableRootCertificates },
            positions: claimants.flatMap(\.positions))
    }
}
