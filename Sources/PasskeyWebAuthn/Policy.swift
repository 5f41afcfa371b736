public import PasskeyCOSE
import PasskeyCrypto

/// What to do when a risk signal fires: fail the ceremony, or accept it and report the signal in the result.
public enum SignalAction: String, Sendable, Hashable {
    case reject
    case report
}

/// A risk signal: something that is not proof of forgery but that a relying party may want to act on.
public enum RiskSignal: Sendable, Hashable, CustomStringConvertible {
    /// The authenticator's counter did not grow (a cloned authenticator, or a buggy one).
    case signCountRegression(stored: UInt32, received: UInt32)
    /// The BE flag differs from the value stored at registration (BE is fixed for a credential's life).
    case backupEligibilityChanged(stored: Bool, received: Bool)
    /// BS is set while BE is not, which the spec says cannot happen.
    case backupStateWithoutEligibility
    /// FIDO metadata now reports a status the policy rejects for the authenticator stored at registration.
    case authenticatorCompromised(status: String)

    /// The error code the signal raises when the policy rejects it (and reports under when it does not).
    public var code: WebAuthnError.Code {
        switch self {
        case .signCountRegression: .signCountRegression
        case .backupEligibilityChanged: .backupEligibilityChanged
        case .backupStateWithoutEligibility: .backupStateWithoutEligibility
        case .authenticatorCompromised: .authenticatorCompromised
        }
    }

    public var description: String {
        switch self {
        case let .signCountRegression(stored, received):
            "sign count \(received) is not greater than the stored \(stored)"
        case let .backupEligibilityChanged(stored, received):
            "backup eligibility (BE) is \(received) but was \(stored) at registration"
        case .backupStateWithoutEligibility:
            "backed up (BS) is set while backup eligible (BE) is not"
        case let .authenticatorCompromised(status):
            "metadata now reports \(status) for the authenticator this credential was registered with"
        }
    }
}

/// Per-relying-party verification policy. The defaults are the safe choice; every relaxation is a named switch.
public struct Policy: Sendable {
    /// Registration only: require the UP flag on a new credential. Turn it off only for conditional create
    /// (WebAuthn L3 §7.1 step 14, `mediation: "conditional"`). Authentication always requires UP (§7.2 step 16):
    /// no switch reaches that check.
    public var requireUserPresenceAtRegistration = true
    /// Require the UV flag (set this when the options asked for `userVerification: "required"`).
    public var requireUserVerification = false
    /// Algorithms accepted for credential keys and self attestation. RS1 is not in the default set.
    public var allowedAlgorithms: Set<COSEAlgorithm> = COSEAlgorithm.defaultAllowed
    /// A counter that does not grow (when either value is non-zero).
    public var signCountRegression: SignalAction = .reject
    /// BE differs from the stored value (authentication, when the caller gives the stored BE).
    public var backupEligibilityChange: SignalAction = .reject
    /// BS set without BE.
    public var backupStateWithoutEligibility: SignalAction = .reject
    /// Accept ceremonies run in a cross-origin iframe (`crossOrigin: true`).
    public var allowCrossOrigin = false
    /// When cross-origin ceremonies are allowed, the top-level origins that may embed them. A `topOrigin` member must be one of these.
    public var allowedTopOrigins: [String] = []
    /// Smallest RSA modulus accepted, in bits.
    public var minimumRSAModulusBits = 2048
    /// When non-empty, registration requires an attestation certificate chain that validates to one of these anchors.
    public var trustAnchors: TrustAnchors = TrustAnchors()
    /// The time at which certificate chains are validated (unix seconds); nil means now. Set it to replay old captures.
    public var verificationTime: Int64? = nil
    /// The verification time in Unix milliseconds: `verificationTime` when pinned, else now (issued challenges'
    /// expiry, SafetyNet timestamps).
    var nowMs: Int64 { verificationTime.map { $0 * 1000 } ?? WallClock.nowMs() }
    /// Registration: what the attestation must prove (mode, AAGUID allow-list, roots per format, metadata).
    public var attestation = AttestationPolicy()
    /// Authentication: the stored AAGUID's authenticator is marked compromised by metadata (requests that carry it).
    public var compromisedAuthenticator: SignalAction = .reject
    /// What generated options offer (`RelyingParty.registrationOptions` / `authenticationOptions`).
    public var options = OptionsPolicy()
    /// U2F migrations: the AppID (an https URL) legacy credentials were registered under. Authentication options then
    /// ask for the `appid` extension, registration options for `appidExclude`, and an assertion whose client reports
    /// `appid: true` must carry rpIdHash = SHA-256(AppID) (§10.1.1). nil: the extension is refused.
    public var appID: String? = nil

    public init() {}
}
