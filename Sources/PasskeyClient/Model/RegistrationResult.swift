/// The verdict on one registration (`passkeyd.v1.VerifyRegistrationResult`).
public struct RegistrationResult: Sendable, Hashable {
    /// nil when the registration verified; otherwise the wire enum name of the failed check, e.g. "UNTRUSTED_ATTESTATION".
    public var errorCode: String?
    public var errorMessage: String
    public var credentialID: [UInt8]
    /// The COSE_Key to store and send back with every authentication.
    public var credentialPublicKey: [UInt8]
    public var algorithm: Int64
    public var signCount: UInt32
    /// 16 bytes (all zero for many platform authenticators).
    public var aaguid: [UInt8]
    /// Attestation statement format: "none", "packed", "fido-u2f", ...
    public var format: String
    /// "none", "self", "basic", "attca" or "anonca".
    public var attestationType: String
    public var attestationTrusted: Bool
    /// "anchors", "format_roots" or "metadata" when trusted.
    public var attestationTrustSource: String?
    /// From FIDO metadata, when the server has it and it knows the authenticator.
    public var authenticatorDescription: String?
    public var certificationLevel: String?
    public var metadataStatus: String?
    /// Format-specific facts as (name, value), in the server's order (a name may repeat).
    public var attestationDetails: [PasskeydAttestationDetail] = []
    public var userPresent: Bool
    public var userVerified: Bool
    public var backupEligible: Bool
    public var backedUp: Bool
    public var transports: [String]
    public var extensionOutputsCBOR: [UInt8]?
    public var riskSignals: [PasskeydRiskSignal]
    /// The attestation chain (DER, leaf first) when the statement carried one.
    public var attestationCertificates: [[UInt8]]
    /// credProps rk, credProtect, largeBlob supported, prf enabled, as reported.
    public var extensionResults = PasskeydExtensionResults()

    public var isVerified: Bool { errorCode == nil }

    public init(
        errorCode: String? = nil, errorMessage: String = "", credentialID: [UInt8] = [], credentialPublicKey: [UInt8] = [],
        algorithm: Int64 = 0, signCount: UInt32 = 0, aaguid: [UInt8] = [], format: String = "",
        attestationType: String = "", attestationTrusted: Bool = false, userPresent: Bool = false,
        userVerified: Bool = false, backupEligible: Bool = false, backedUp: Bool = false, transports: [String] = [],
        extensionOutputsCBOR: [UInt8]? = nil, riskSignals: [PasskeydRiskSignal] = [], attestationCertificates: [[UInt8]] = []
    ) {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.credentialID = credentialID
        self.credentialPublicKey = credentialPublicKey
        self.algorithm = algorithm
        self.signCount = signCount
        self.aaguid = aaguid
        self.format = format
        self.attestationType = attestationType
        self.attestationTrusted = attestationTrusted
        self.userPresent = userPresent
        self.userVerified = userVerified
        self.backupEligible = backupEligible
        self.backedUp = backedUp
        self.transports = transports
        self.extensionOutputsCBOR = extensionOutputsCBOR
        self.riskSignals = riskSignals
        self.attestationCertificates = attestationCertificates
    }
}
