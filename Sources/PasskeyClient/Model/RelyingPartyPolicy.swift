/// What the relying party expects, sent with every verify request (`passkeyd.v1.RelyingPartyPolicy`).
///
/// Either name a relying party configured on the server (`RelyingPartyPolicy.named("app")`), or give the policy inline
/// (`RelyingPartyPolicy(rpID:origins:)` plus options). The server caches inline policies by their encoding, so sending
/// the same value with every request costs it nothing after the first.
public struct RelyingPartyPolicy: Sendable, Hashable {
    /// What to do when a risk signal fires: fail the ceremony, or accept it and report the signal in the result.
    public enum SignalAction: String, Sendable, Hashable {
        case reject
        case report
    }

    /// The name of a relying party configured on the server; when set, every inline member is ignored by the server.
    public var relyingParty: String?
    public var rpID: String
    public var origins: [String]
    /// SHA-256 fingerprints (hex, colons allowed) of Android APK signing certificates accepted as origins.
    public var androidAPKCertSHA256: [String] = []
    public var requireUserVerification = false
    /// Registration only: accept a new credential without UP (conditional create). Authentication always requires UP.
    public var registrationUserPresenceOptional = false
    /// COSE algorithm identifiers; empty means every supported algorithm except RS1.
    public var allowedAlgorithms: [Int64] = []
    public var allowCrossOrigin = false
    public var topOrigins: [String] = []
    public var signCountPolicy: SignalAction = .reject
    public var backupEligibilityPolicy: SignalAction = .reject
    public var backupStatePolicy: SignalAction = .reject
    /// Smallest RSA modulus accepted, in bits; 0 leaves the server's default (2048).
    public var minimumRSABits: UInt32 = 0
    /// DER certificates; when present, registration requires an attestation chain to one of them.
    public var trustAnchorsDER: [[UInt8]] = []
    /// Time at which certificate chains are validated (unix seconds); 0 means now.
    public var verifyAtUnix: Int64 = 0
    /// What a registration's attestation must prove; nil: trusted when trust anchors are given, else verify.
    public enum AttestationMode: String, Sendable, Hashable { case none, verify, trusted }
    public var attestationMode: AttestationMode? = nil
    /// When non-empty, only these AAGUIDs (16 bytes each) register.
    public var allowedAAGUIDs: [[UInt8]] = []
    public var androidKeyAllowSoftware = false
    /// Accept RS1 (SHA-1) attestation signatures (Windows TPMs); RS1 credential keys still need -65535 in the list.
    public var attestationAllowRS1 = false
    /// 0 leaves the server's default.
    public var safetyNetMaxSkewMs: UInt32 = 0
    public var compromisedAuthenticatorPolicy: SignalAction = .reject
    /// What generated options offer; nil: the server's defaults.
    public var options: PasskeydOptionsPolicy? = nil
    /// U2F migrations: the AppID legacy credentials were registered under (appid extension).
    public var appID: String? = nil

    /// An inline policy.
    public init(rpID: String, origins: [String]) {
        self.relyingParty = nil
        self.rpID = rpID
        self.origins = origins
    }

    /// A relying party configured on the server, by name.
    public static func named(_ name: String) -> RelyingPartyPolicy {
        var p = RelyingPartyPolicy(rpID: "", origins: [])
        p.relyingParty = name
        return p
    }
}
