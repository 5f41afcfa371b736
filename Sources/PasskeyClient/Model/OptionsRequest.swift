/// A credential in excludeCredentials / allowCredentials (`passkeyd.v1.CredentialDescriptor`).
public struct PasskeydCredentialDescriptor: Sendable, Hashable {
    public var id: [UInt8]
    /// As stored from the registration's transports.
    public var transports: [String]
    public init(id: [UInt8], transports: [String] = []) {
        self.id = id
        self.transports = transports
    }
}

/// Extension inputs passed through to the browser (`passkeyd.v1.ExtensionInputs`).
public struct PasskeydExtensionInputs: Sendable, Hashable {
    public struct PRFValues: Sendable, Hashable {
        public var first: [UInt8]
        public var second: [UInt8]?
        public init(first: [UInt8], second: [UInt8]? = nil) {
            self.first = first
            self.second = second
        }
    }
    public struct PRF: Sendable, Hashable {
        public var eval: PRFValues?
        /// Authentication only: (credential id, values), each id one of allowCredentials.
        public var evalByCredential: [PasskeydCredentialDescriptor.ID: PRFValues]
        public init(eval: PRFValues? = nil, evalByCredential: [PasskeydCredentialDescriptor.ID: PRFValues] = [:]) {
            self.eval = eval
            self.evalByCredential = evalByCredential
        }
    }
    public struct LargeBlob: Sendable, Hashable {
        /// "required" or "preferred" (registration).
        public var support: String?
        public var read: Bool
        public var write: [UInt8]?
        public init(support: String? = nil, read: Bool = false, write: [UInt8]? = nil) {
            self.support = support
            self.read = read
            self.write = write
        }
    }
    public struct CredProtect: Sendable, Hashable {
        /// "userVerificationOptional", "userVerificationOptionalWithCredentialIDList" or "userVerificationRequired".
        public var policy: String
        public var enforce: Bool
        public init(policy: String, enforce: Bool = false) {
            self.policy = policy
            self.enforce = enforce
        }
    }

    public var prf: PRF?
    public var largeBlob: LargeBlob?
    public var credProtect: CredProtect?

    public init(prf: PRF? = nil, largeBlob: LargeBlob? = nil, credProtect: CredProtect? = nil) {
        self.prf = prf
        self.largeBlob = largeBlob
        self.credProtect = credProtect
    }
}

extension PasskeydCredentialDescriptor {
    /// A credential id, as a dictionary key.
    public typealias ID = [UInt8]
}

/// Registration options to generate (`passkeyd.v1.GenerateRegistrationOptionsRequest`).
public struct GenerateRegistrationOptionsRequest: Sendable, Hashable {
    public var policy: RelyingPartyPolicy
    /// The user handle (1–64 bytes), name and display name.
    public var userID: [UInt8]
    public var userName: String
    public var userDisplayName: String
    public var excludeCredentials: [PasskeydCredentialDescriptor] = []
    /// What the challenge is bound to (a session id; at most 1 KiB).
    public var context: [UInt8] = []
    public var extensions: PasskeydExtensionInputs? = nil
    /// Overrides of the policy's options for this request ("" / empty: the policy's).
    public var residentKey = ""
    public var userVerification = ""
    public var authenticatorAttachment = ""
    public var hints: [String] = []

    public init(policy: RelyingPartyPolicy, userID: [UInt8], userName: String, userDisplayName: String) {
        self.policy = policy
        self.userID = userID
        self.userName = userName
        self.userDisplayName = userDisplayName
    }
}

/// Authentication options to generate; empty `allowCredentials` is a usernameless login.
public struct GenerateAuthenticationOptionsRequest: Sendable, Hashable {
    public var policy: RelyingPartyPolicy
    public var allowCredentials: [PasskeydCredentialDescriptor] = []
    public var context: [UInt8] = []
    public var extensions: PasskeydExtensionInputs? = nil
    public var userVerification = ""
    public var hints: [String] = []

    public init(policy: RelyingPartyPolicy) { self.policy = policy }
}

/// Generated options (`passkeyd.v1.GenerateOptionsResult`).
public struct GeneratedOptionsResult: Sendable, Hashable {
    /// nil when generated; otherwise the wire enum name, e.g. "MALFORMED_REQUEST".
    public var errorCode: String?
    public var errorMessage: String
    /// PublicKeyCredentialCreationOptionsJSON / PublicKeyCredentialRequestOptionsJSON text for the browser.
    public var optionsJSON: String
    /// The issued challenge's bytes and expiry (Unix ms).
    public var challenge: [UInt8]
    public var expiresAtUnixMs: Int64
    public var timeoutMs: UInt32

    public var isGenerated: Bool { errorCode == nil }
}

/// Parsed extension outputs of a verdict (`passkeyd.v1.ExtensionResults`); nil: not reported.
public struct PasskeydExtensionResults: Sendable, Hashable {
    public var credPropsRK: Bool?
    public var credProtect: UInt32?
    public var largeBlobSupported: Bool?
    public var largeBlobWritten: Bool?
    public var prfEnabled: Bool?
    public var appidUsed: Bool

    public init(
        credPropsRK: Bool? = nil, credProtect: UInt32? = nil, largeBlobSupported: Bool? = nil, largeBlobWritten: Bool? = nil,
        prfEnabled: Bool? = nil, appidUsed: Bool = false
    ) {
        self.credPropsRK = credPropsRK
        self.credProtect = credProtect
        self.largeBlobSupported = largeBlobSupported
        self.largeBlobWritten = largeBlobWritten
        self.prfEnabled = prfEnabled
        self.appidUsed = appidUsed
    }
}

/// What generated options offer (`passkeyd.v1.OptionsPolicy`); every empty or zero member is the server's default.
public struct PasskeydOptionsPolicy: Sendable, Hashable {
    public var rpName = ""
    public var timeoutMs: UInt32 = 0
    public var challengeGraceMs: UInt32 = 0
    public var residentKey = ""
    public var userVerification = ""
    public var authenticatorAttachment = ""
    public var attestation = ""
    public var attestationFormats: [String] = []
    public var hints: [String] = []
    /// COSE algorithms, most preferred first.
    public var algorithms: [Int64] = []
    public var omitCredProps = false
    public init() {}
}
