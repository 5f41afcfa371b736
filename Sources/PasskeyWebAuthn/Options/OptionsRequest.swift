/// The user a registration creates a credential for (`PublicKeyCredentialUserEntityJSON`).
public struct UserEntity: Sendable, Hashable {
    /// The user handle: 1–64 bytes (§5.4.3), opaque and not personally identifying.
    public var id: [UInt8]
    public var name: String
    public var displayName: String

    public init(id: [UInt8], name: String, displayName: String) {
        self.id = id
        self.name = name
        self.displayName = displayName
    }
}

/// A credential in `excludeCredentials` / `allowCredentials` (`PublicKeyCredentialDescriptorJSON`).
public struct CredentialDescriptor: Sendable, Hashable {
    public var id: [UInt8]
    /// As stored from the registration's `transports` (unknown values are passed on, as the spec asks).
    public var transports: [String]

    public init(id: [UInt8], transports: [String] = []) {
        self.id = id
        self.transports = transports
    }
}

/// Extension inputs a gateway passes through to the browser.
public struct ExtensionInputs: Sendable, Hashable {
    /// prf (§10.1.4): salts to evaluate; `PRFInputs()` with nothing set asks only whether PRF is available.
    public var prf: PRFInputs?
    /// largeBlob (§10.1.5): `support` at registration, `read` or `write` at authentication.
    public var largeBlob: LargeBlobInputs?
    /// credProtect (CTAP 2.1 §12.1), registration only.
    public var credProtect: CredProtectInputs?

    public init(prf: PRFInputs? = nil, largeBlob: LargeBlobInputs? = nil, credProtect: CredProtectInputs? = nil) {
        self.prf = prf
        self.largeBlob = largeBlob
        self.credProtect = credProtect
    }

    public var isEmpty: Bool { prf == nil && largeBlob == nil && credProtect == nil }
}

public struct PRFValues: Sendable, Hashable {
    public var first: [UInt8]
    public var second: [UInt8]?
    public init(first: [UInt8], second: [UInt8]? = nil) {
        self.first = first
        self.second = second
    }
}

public struct PRFInputs: Sendable, Hashable {
    public var eval: PRFValues?
    /// Authentication only: per-credential salts, keyed by credential ids that must be in `allowCredentials`.
    public var evalByCredential: [(credentialID: [UInt8], values: PRFValues)]

    public init(eval: PRFValues? = nil, evalByCredential: [(credentialID: [UInt8], values: PRFValues)] = []) {
        self.eval = eval
        self.evalByCredential = evalByCredential
    }

    public static func == (a: PRFInputs, b: PRFInputs) -> Bool {
        a.eval == b.eval && a.evalByCredential.count == b.evalByCredential.count
            && zip(a.evalByCredential, b.evalByCredential).allSatisfy { $0.credentialID == $1.credentialID && $0.values == $1.values }
    }

    public func hash(into h: inout Hasher) {
        h.combine(eval)
        for e in evalByCredential {
            h.combine(e.credentialID)
            h.combine(e.values)
        }
    }
}

public struct LargeBlobInputs: Sendable, Hashable {
    public enum Support: String, Sendable, Hashable, CaseIterable { case required, preferred }
    public var support: Support?
    public var read: Bool
    public var write: [UInt8]?

    public init(support: Support? = nil, read: Bool = false, write: [UInt8]? = nil) {
        self.support = support
        self.read = read
        self.write = write
    }
}

public struct CredProtectInputs: Sendable, Hashable {
    public enum Policy: String, Sendable, Hashable, CaseIterable {
        case userVerificationOptional
        case userVerificationOptionalWithCredentialIDList
        case userVerificationRequired
    }
    public var policy: Policy
    /// Fail the ceremony in the browser when the authenticator cannot apply `policy`.
    public var enforce: Bool

    public init(policy: Policy, enforce: Bool = false) {
        self.policy = policy
        self.enforce = enforce
    }
}

/// What a gateway asks registration options for. Everything not here comes from the relying party's `OptionsPolicy`;
/// the optional members override it for this request.
public struct RegistrationOptionsRequest: Sendable, Hashable {
    public var user: UserEntity
    /// The user's existing credentials, so the same authenticator is not registered twice.
    public var excludeCredentials: [CredentialDescriptor]
    /// What the challenge is bound to (a session id, ...; at most 1 KiB): verification must present the same bytes.
    public var context: [UInt8]
    public var extensions: ExtensionInputs
    public var residentKey: ResidentKeyRequirement?
    public var userVerification: UserVerificationRequirement?
    public var authenticatorAttachment: AuthenticatorAttachment?
    public var hints: [PublicKeyCredentialHint]?

    public init(
        user: UserEntity, excludeCredentials: [CredentialDescriptor] = [], context: [UInt8] = [],
        extensions: ExtensionInputs = ExtensionInputs(), residentKey: ResidentKeyRequirement? = nil,
        userVerification: UserVerificationRequirement? = nil, authenticatorAttachment: AuthenticatorAttachment? = nil,
        hints: [PublicKeyCredentialHint]? = nil
    ) {
        self.user = user
        self.excludeCredentials = excludeCredentials
        self.context = context
        self.extensions = extensions
        self.residentKey = residentKey
        self.userVerification = userVerification
        self.authenticatorAttachment = authenticatorAttachment
        self.hints = hints
    }
}

/// What a gateway asks authentication options for. Empty `allowCredentials` is a usernameless (discoverable) login:
/// the challenge is minted for one, so its verification requires the response's userHandle.
public struct AuthenticationOptionsRequest: Sendable, Hashable {
    public var allowCredentials: [CredentialDescriptor]
    public var context: [UInt8]
    public var extensions: ExtensionInputs
    public var userVerification: UserVerificationRequirement?
    public var hints: [PublicKeyCredentialHint]?

    public init(
        allowCredentials: [CredentialDescriptor] = [], context: [UInt8] = [], extensions: ExtensionInputs = ExtensionInputs(),
        userVerification: UserVerificationRequirement? = nil, hints: [PublicKeyCredentialHint]? = nil
    ) {
        self.allowCredentials = allowCredentials
        self.context = context
        self.extensions = extensions
        self.userVerification = userVerification
        self.hints = hints
    }

    public var discoverable: Bool { allowCredentials.isEmpty }
}

/// Generated options: the JSON for `PublicKeyCredential.parseCreationOptionsFromJSON()` /
/// `parseRequestOptionsFromJSON()`, and the issued challenge in it.
public struct GeneratedOptions: Sendable {
    /// `PublicKeyCredentialCreationOptionsJSON` or `PublicKeyCredentialRequestOptionsJSON` text.
    public let json: String
    /// The issued challenge's bytes (its base64url is the JSON's `challenge`).
    public let challenge: [UInt8]
    /// Unix ms after which the challenge is refused (`challenge_expired`).
    public let expiresAtMs: Int64
    public let timeoutMs: Int64
    public let issued: IssuedChallenge
}
