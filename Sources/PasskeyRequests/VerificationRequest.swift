import PasskeyJSON
public import PasskeyWebAuthn
import PasskeyCOSE

/// A request that cannot be used at all (bad JSON, a missing or mistyped member). The CLI exits 2 for these.
public struct RequestError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

/// One verification request in the JSON shape of `passkeyd verify` (documented in the README).
public struct VerificationRequest: Sendable {
    public enum Kind: String, Sendable { case registration, authentication }

    public var kind: Kind
    public var relyingParty: RelyingParty
    public var challenge: [UInt8]
    /// The browser's `PublicKeyCredential` JSON, verbatim.
    public var response: [UInt8]
    public var credentialPublicKey: [UInt8]?
    public var storedSignCount: UInt32
    public var storedBackupEligible: Bool?
    public var storedCredentialID: [UInt8]?
    public var storedAAGUID: [UInt8]?
    /// The user handle stored with the credential, and whether the login was usernameless (empty allowCredentials).
    public var storedUserHandle: [UInt8]?
    public var usernameless = false

    static let knownMembers: Set<String> = [
        "kind", "rp_id", "origins", "android_apk_cert_sha256", "challenge_b64url", "require_user_verification",
        "require_user_presence_at_registration", "response", "credential_public_key_b64url", "stored_sign_count",
        "stored_backup_eligible", "stored_credential_id_b64url", "trust_anchors_pem", "verify_at_unix",
        "allowed_algorithms", "allow_cross_origin", "top_origins", "sign_count_policy", "backup_eligibility_policy",
        "backup_state_policy", "minimum_rsa_bits", "stored_aaguid", "attestation_mode", "allowed_aaguids",
        "android_key_allow_software", "safetynet_max_skew_ms", "compromised_authenticator_policy", "attestation_roots",
        "attestation_allow_rs1", "app_id", "options", "stored_user_handle_b64url", "usernameless",
    ]

    public init(
        kind: Kind, relyingParty: RelyingParty, challenge: [UInt8], response: [UInt8], credentialPublicKey: [UInt8]? = nil,
        storedSignCount: UInt32 = 0, storedBackupEligible: Bool? = nil, storedCredentialID: [UInt8]? = nil,
        storedAAGUID: [UInt8]? = nil
    ) {
        self.kind = kind
        self.relyingParty = relyingParty
        self.challenge = challenge
        self.response = response
        self.credentialPublicKey = credentialPublicKey
        self.storedSignCount = storedSignCount
        self.storedBackupEligible = storedBackupEligible
        self.storedCredentialID = storedCredentialID
        self.storedAAGUID = storedAAGUID
    }

    public init(json: [UInt8]) throws(RequestError) {
        // The reader points into `json`'s storage: every read happens inside this one scope.
        self = try json.withBytes { (bytes) throws(RequestError) in
            var reader = JSONReader()
            let root: JSONReader.Value
            do {
                root = try reader.parse(bytes)
            } catch {
                throw RequestError("request is not strict JSON: \(error)")
            }
            return try Self.decode(reader, root)
        }
    }

    private static func decode(_ r: JSONReader, _ root: JSONReader.Value) throws(RequestError) -> VerificationRequest {
        guard r.kind(root) == .object else { throw RequestError("request is not a JSON object") }
        var unknown: [String] = []
        r.forEachMember(root) { k, _ in
            if let name = r.string(k), !knownMembers.contains(name) { unknown.append(name) }
        }
        if !unknown.isEmpty { throw RequestError("unknown request members: \(unknown.joined(separator: ", "))") }

        let fields = JSONFields(reader: r, root: root)
        guard let kind = Kind(rawValue: try fields.requiredString("kind")) else {
            throw RequestError("'kind' must be \"registration\" or \"authentication\"")
        }
        let rp = try RelyingPartyJSON.decode(fields)
        guard let challenge = Base64URL.decode(try fields.requiredString("challenge_b64url"), allowPadding: true) else {
            throw RequestError("'challenge_b64url' is not base64url")
        }
        guard let response = r.member(root, "response"), r.kind(response) == .object else {
            throw RequestError("'response' must be the PublicKeyCredential JSON object")
        }
        let key = try fields.base64url("credential_public_key_b64url")
        if kind == .authentication, key == nil {
            throw RequestError("an authentication request needs 'credential_public_key_b64url'")
        }
        var signCount: UInt32 = 0
        if let c = try fields.int("stored_sign_count") {
            guard let v = UInt32(exactly: c) else { throw RequestError("'stored_sign_count' must fit 32 bits unsigned") }
            signCount = v
        }
        var aaguid: [UInt8]? = nil
        if let text = try fields.string("stored_aaguid") {
            guard let bytes = RelyingPartyJSON.parseUUID(text) else { throw RequestError("'stored_aaguid' is not a UUID") }
            aaguid = bytes
        }
        var request = VerificationRequest(
            kind: kind, relyingParty: rp, challenge: challenge, response: Array(r.rawBytes(response)),
            credentialPublicKey: key, storedSignCount: signCount,
            storedBackupEligible: try fields.bool("stored_backup_eligible"),
            storedCredentialID: try fields.base64url("stored_credential_id_b64url"), storedAAGUID: aaguid)
        request.storedUserHandle = try fields.base64url("stored_user_handle_b64url")
        request.usernameless = try fields.bool("usernameless") ?? false
        return request
    }
}
