/// The verdict on one assertion (`passkeyd.v1.VerifyAuthenticationResult`).
public struct AuthenticationResult: Sendable, Hashable {
    /// nil when the assertion verified; otherwise the wire enum name of the failed check, e.g. "BAD_SIGNATURE".
    public var errorCode: String?
    public var errorMessage: String
    /// The counter the authenticator reported (store it for the next ceremony).
    public var signCount: UInt32
    /// The credential's COSE algorithm identifier.
    public var algorithm: Int64
    public var userPresent: Bool
    public var userVerified: Bool
    public var backupEligible: Bool
    public var backedUp: Bool
    /// The authenticator extension outputs (CBOR), when the authenticator sent any.
    public var extensionOutputsCBOR: [UInt8]?
    public var riskSignals: [PasskeydRiskSignal]
    /// The counter the assertion was checked against: store `signCount` only where the row still holds this
    /// (README, "Counters under concurrency").
    public var storedSignCount: UInt32 = 0
    public var extensionResults = PasskeydExtensionResults()

    public var isVerified: Bool { errorCode == nil }

    public init(
        errorCode: String? = nil, errorMessage: String = "", signCount: UInt32 = 0, algorithm: Int64 = 0,
        userPresent: Bool = false, userVerified: Bool = false, backupEligible: Bool = false, backedUp: Bool = false,
        extensionOutputsCBOR: [UInt8]? = nil, riskSignals: [PasskeydRiskSignal] = []
    ) {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.signCount = signCount
        self.algorithm = algorithm
        self.userPresent = userPresent
        self.userVerified = userVerified
        self.backupEligible = backupEligible
        self.backedUp = backedUp
        self.extensionOutputsCBOR = extensionOutputsCBOR
        self.riskSignals = riskSignals
    }
}
