public import PasskeyCOSE

/// `residentKey` (WebAuthn L3 §5.4.6): whether the authenticator should store a discoverable credential.
public enum ResidentKeyRequirement: String, Sendable, Hashable, CaseIterable {
    case discouraged, preferred, required
}

/// `userVerification` (§5.8.6).
public enum UserVerificationRequirement: String, Sendable, Hashable, CaseIterable {
    case discouraged, preferred, required
}

/// `authenticatorAttachment` (§5.4.5).
public enum AuthenticatorAttachment: String, Sendable, Hashable, CaseIterable {
    case platform
    case crossPlatform = "cross-platform"
}

/// `attestation` (§5.4.7).
public enum AttestationConveyance: String, Sendable, Hashable, CaseIterable {
    case none, indirect, direct, enterprise
}

/// `hints` (§5.8.7).
public enum PublicKeyCredentialHint: String, Sendable, Hashable, CaseIterable {
    case securityKey = "security-key"
    case clientDevice = "client-device"
    case hybrid
}

/// What generated options offer a relying party's users: every member is a default the relying party can change
/// (config file, `passkeyd verify` / `passkeyd options` requests, wire `OptionsPolicy`). The defaults are the safe,
/// modern choice: discoverable credentials and user verification preferred, no attestation, ES256 / EdDSA / RS256, a
/// five-minute ceremony whose challenge lives 30 s longer.
public struct OptionsPolicy: Sendable, Hashable {
    /// `rp.name`; nil: the RP ID.
    public var rpName: String? = nil
    /// `timeout`, in ms (1 s – 1 h).
    public var timeoutMs: Int64 = 300_000
    /// How much longer than `timeoutMs` the issued challenge stays valid (0 – 10 min): the browser's timer starts
    /// after the options arrive, and the answer still has to travel back.
    public var challengeGraceMs: Int64 = 30_000
    public var residentKey: ResidentKeyRequirement = .preferred
    /// Sent as "required" whatever this says when the policy requires UV (`Policy.requireUserVerification`): the
    /// options never ask for less than verification demands.
    public var userVerification: UserVerificationRequirement = .preferred
    /// nil: any attachment (the member is not sent).
    public var authenticatorAttachment: AuthenticatorAttachment? = nil
    public var attestation: AttestationConveyance = .none
    /// `attestationFormats`, most preferred first (attestation statement format identifiers); empty: not sent.
    public var attestationFormats: [String] = []
    public var hints: [PublicKeyCredentialHint] = []
    /// `pubKeyCredParams`, most preferred first. Each is offered only when the policy's `allowedAlgorithms` allows it,
    /// so the options never invite a key that verification would refuse (ML-DSA-65/87 are offered when listed here
    /// and allowed; ML-DSA-44 is not an algorithm passkeyd knows).
    public var algorithms: [COSEAlgorithm] = [.es256, .eddsa, .rs256]
    /// Ask for the credProps extension at registration (the verdict then says whether the credential is discoverable).
    public var requestCredProps = true

    public static let timeoutRange: ClosedRange<Int64> = 1_000...3_600_000
    public static let challengeGraceRange: ClosedRange<Int64> = 0...600_000
    /// The attestation statement formats `attestationFormats` may name (WebAuthn's IANA registry).
    public static let attestationFormatIdentifiers: Set<String> = [
        "packed", "tpm", "android-key", "android-safetynet", "fido-u2f", "apple", "none", "compound",
    ]

    public init() {}

    /// The issued challenge's lifetime: the timeout plus the grace.
    public var challengeLifetimeMs: Int64 { timeoutMs + challengeGraceMs }

    /// Refuses values a browser would reject or that make no sense (a relying party's configuration is checked when
    /// it is built, not when its first options are asked for).
    public func validate() throws(WebAuthnError) {
        guard Self.timeoutRange.contains(timeoutMs) else {
            throw WebAuthnError(.malformedRequest, "options timeout must be 1000–3600000 ms, not \(timeoutMs)")
        }
        guard Self.challengeGraceRange.contains(challengeGraceMs) else {
            throw WebAuthnError(.malformedRequest, "options challenge grace must be 0–600000 ms, not \(challengeGraceMs)")
        }
        guard !algorithms.isEmpty else {
            throw WebAuthnError(.malformedRequest, "options algorithms is empty: no credential could be created")
        }
        guard Set(algorithms).count == algorithms.count else {
            throw WebAuthnError(.malformedRequest, "options algorithms lists an algorithm twice")
        }
        for f in attestationFormats where !Self.attestationFormatIdentifiers.contains(f) {
            throw WebAuthnError(.malformedRequest, "options attestation format '\(clipped(f))' is not a registered format")
        }
        guard Set(hints).count == hints.count, Set(attestationFormats).count == attestationFormats.count else {
            throw WebAuthnError(.malformedRequest, "options hints and attestation formats may not repeat a value")
        }
        if let name = rpName, name.isEmpty || name.utf8.count > OptionsLimits.nameBytes {
            throw WebAuthnError(.malformedRequest, "options rp name must be 1–\(OptionsLimits.nameBytes) bytes")
        }
    }
}

/// Sizes of what an options request may carry (SECURITY.md, "Input limits").
public enum OptionsLimits {
    /// excludeCredentials / allowCredentials entries.
    public static let credentials = 64
    /// user.name, user.displayName, rp.name.
    public static let nameBytes = 256
    /// A prf `first` / `second` salt, and a largeBlob `write` (which the authenticator stores: CTAP caps it lower).
    public static let prfSaltBytes = 256
    public static let largeBlobWriteBytes = 2048
}
