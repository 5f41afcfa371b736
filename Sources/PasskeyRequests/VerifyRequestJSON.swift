import PasskeyJSON
public import PasskeyProtocol

/// The request JSON of `passkeyd verify` and `passkeyctl verify` (README, "Verify one ceremony from the command
/// line") read into the wire's verify request: the policy inline, the browser's `response` object verbatim as
/// `response_json`. One reader for both tools; `passkeyd` runs what it returns through the server's own executor in
/// process, `passkeyctl` sends it.
public enum VerifyRequestJSON {
    public enum Request: Sendable {
        case authentication(AuthenticationRequest)
        case registration(RegistrationRequest)

        /// The wire request.
        public var wire: PasskeydRequest {
            switch self {
            case let .authentication(r): .authentication(r)
            case let .registration(r): .registration(r)
            }
        }
    }

    /// Members of the request besides the relying party's.
    public static let requestMembers: Set<String> = [
        "kind", "challenge_b64url", "response", "credential_public_key_b64url", "stored_sign_count",
        "stored_backup_eligible", "stored_credential_id_b64url", "stored_aaguid", "stored_user_handle_b64url",
        "usernameless",
    ]

    /// Reads a request. `extraMembers` are members the caller reads itself from the same object (`passkeyd verify`
    /// takes `attestation_roots`, which has no wire field); `extras` gets those fields.
    public static func parse(
        _ json: [UInt8], extraMembers: Set<String> = [], extras: (JSONFields) throws(RequestError) -> Void = { _ in }
    ) throws(RequestError) -> Request {
        try JSONFields.withObject(json) { (f) throws(RequestError) in
            try f.refuseUnknown(requestMembers.union(PolicyJSON.members).union(extraMembers), "request members")
            let request = try decode(f)
            try extras(f)
            return request
        }
    }

    static func decode(_ f: JSONFields) throws(RequestError) -> Request {
        let kind = try f.requiredString("kind")
        guard kind == "registration" || kind == "authentication" else {
            throw RequestError("'kind' must be \"registration\" or \"authentication\"")
        }
        let policy = try PolicyJSON.policy(f)
        guard let challenge = Base64URL.decode(try f.requiredString("challenge_b64url"), allowPadding: true) else {
            throw RequestError("'challenge_b64url' is not base64url")
        }
        guard let response = f.value("response"), f.reader.kind(response) == .object else {
            throw RequestError("'response' must be the PublicKeyCredential JSON object")
        }
        let responseJSON = String(decoding: f.reader.rawBytes(response), as: UTF8.self)
        // Every member is read (and refused when mistyped) whatever the kind.
        let key = try f.base64url("credential_public_key_b64url")
        let signCount = try f.uint32("stored_sign_count") ?? 0
        let storedBE = try f.bool("stored_backup_eligible")
        let storedID = try f.base64url("stored_credential_id_b64url")
        var storedAAGUID: [UInt8]? = nil
        if let text = try f.string("stored_aaguid") {
            guard let id = UUIDText.parse(text) else { throw RequestError("'stored_aaguid' is not a UUID") }
            storedAAGUID = id
        }
        let storedUserHandle = try f.base64url("stored_user_handle_b64url")
        let usernameless = try f.bool("usernameless") ?? false
        if kind == "registration" {
            return .registration(RegistrationRequest(policy: policy, challenge: challenge, credential: .json(responseJSON)))
        }
        guard let key else { throw RequestError("an authentication request needs 'credential_public_key_b64url'") }
        var request = AuthenticationRequest(
            policy: policy, challenge: challenge, credentialPublicKey: key, storedSignCount: signCount,
            storedBackupEligible: storedBE, storedCredentialID: storedID, storedAAGUID: storedAAGUID,
            credential: .json(responseJSON))
        request.storedUserHandle = storedUserHandle
        request.usernameless = usernameless
        return .authentication(request)
    }
}
