public import PasskeyCrypto
public import PasskeyMetadata

/// What a registration's attestation must prove, per relying party (README, "Attestation policy").
public struct AttestationPolicy: Sendable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// The statement is checked when it can be, but never fails the ceremony; its format and (when it verified)
        /// its type are reported. For relying parties that do not use attestation.
        case none
        /// The statement must verify; trust in its chain is evaluated and reported, not required.
        case verify
        /// The statement must verify and its chain must reach a trust anchor of the policy, a root of its format
        /// (e.g. Apple's) or a FIDO metadata entry's root. `self` and `none` attestation fail.
        case trusted
    }

    /// nil: `trusted` when the policy has trust anchors of its own (`Policy.trustAnchors`), else `verify`.
    public var mode: Mode? = nil
    /// When set, only authenticators with one of these AAGUIDs (16 bytes each) register. U2F authenticators have
    /// the zero AAGUID and are refused by a list that does not name it.
    public var allowedAAGUIDs: Set<[UInt8]>? = nil
    /// Trust anchors per attestation format ("apple", "android-key", "tpm", ...): the published vendor roots by
    /// default, replaced or extended by configuration.
    public var formatRoots: FormatRoots = .defaults
    /// Accept attestation statements signed with RS1 (RSASSA-PKCS1-v1_5 with SHA-1): the TPMs of many Windows devices
    /// sign `certInfo` that way. Reaches attestation signatures only; RS1 credential keys still need RS1 in
    /// `Policy.allowedAlgorithms`.
    public var allowRS1AttestationSignatures = false
    /// android-key: accept keys whose origin and purpose are only software-enforced (emulators, very old devices).
    public var androidKeyAllowSoftware = false
    /// android-safetynet: how far `timestampMs` may be from the verification time, in milliseconds.
    public var safetyNetMaxSkewMilliseconds: Int64 = 60_000
    /// Metadata status reports that fail a registration (and, at login, raise `authenticatorCompromised`).
    public var rejectedStatuses: Set<AuthenticatorStatus> = AuthenticatorStatus.rejectedByDefault
    /// FIDO metadata, shared by every relying party of a server and replaced on reload.
    public var metadata: MetadataStore? = nil

    public init() {}

    func effectiveMode(policyHasAnchors: Bool) -> Mode { mode ?? (policyHasAnchors ? .trusted : .verify) }
}

/// Trust anchors per attestation format, parsed once.
public struct FormatRoots: Sendable {
    public private(set) var byFormat: [String: TrustAnchors]

    public init(_ byFormat: [String: TrustAnchors] = [:]) { self.byFormat = byFormat.filter { !$0.value.isEmpty } }

    /// The roots vendors publish for their formats (Apple WebAuthn Root CA, Google's hardware attestation roots, the
    /// SafetyNet chain's root), parsed once per process from the PEM data in `DefaultRoots.swift`.
    public static var defaults: FormatRoots { DefaultRoots.formatRoots }

    public func anchors(for format: String) -> TrustAnchors? { byFormat[format] }

    /// Uses only `anchors` for `format` (an empty list removes the format's roots).
    /// `chainCache`: as `TrustAnchors(certificates:chainCache:)`.
    public mutating func replace(_ format: String, with anchors: [Certificate], chainCache: VerifiedChainCache? = .shared) {
        byFormat[format] = anchors.isEmpty ? nil : TrustAnchors(certificates: anchors, chainCache: chainCache)
    }

    /// Adds `anchors` to the format's current roots.
    public mutating func extend(_ format: String, with anchors: [Certificate]) {
        let current = byFormat[format]?.certificates ?? []
        replace(format, with: current + anchors)
    }
}
