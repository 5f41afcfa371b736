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

    static let knownMembers: Set<String> = [
        "kind", "rp_id", "origins", "android_apk_cert_sha256", "challenge_b64url", "require_user_verification",
        "require_user_presence", "response", "credential_public_key_b64url", "stored_sign_count",
        "stored_backup_eligible", "stored_credential_id_b64url", "trust_anchors_pem", "verify_at_unix",
        "allowed_algorithms", "allow_cross_origin", "top_origins", "sign_count_policy", "backup_eligibility_policy",
        "backup_state_policy", "minimum_rsa_bits",
    ]

    public init(
        kind: Kind, relyingParty: RelyingParty, challenge: [UInt8], response: [UInt8], credentialPublicKey: [UInt8]? = nil,
        storedSignCount: UInt32 = 0, storedBackupEligible: Bool? = nil, storedCredentialID: [UInt8]? = nil
    ) {
        self.kind = kind
        self.relyingParty = relyingParty
        self.challenge = challenge
        self.response = response
        self.credentialPublicKey = credentialPublicKey
        self.storedSignCount = storedSignCount
        self.storedBackupEligible = storedBackupEligible
        self.storedCredentialID = storedCredentialID
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

        let fields = Fields(reader: r, root: root)
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
        return VerificationRequest(
            kind: kind, relyingParty: rp, challenge: challenge, response: Array(r.rawBytes(response)),
            credentialPublicKey: key, storedSignCount: signCount,
            storedBackupEligible: try fields.bool("stored_backup_eligible"),
            storedCredentialID: try fields.base64url("stored_credential_id_b64url"))
    }
}

/// Typed member access with request-level errors.
struct Fields {
    let reader: JSONReader
    let root: JSONReader.Value

    func value(_ name: String) -> JSONReader.Value? {
        var found: JSONReader.Value?
        reader.forEachMember(root) { k, v in if found == nil, reader.string(k) == name { found = v } }
        if let f = found, reader.kind(f) == .null { return nil }
        return found
    }

    func requiredString(_ name: String) throws(RequestError) -> String {
        guard let v = value(name) else { throw RequestError("'\(name)' is required") }
        guard let s = reader.string(v) else { throw RequestError("'\(name)' must be a string") }
        return s
    }

    func bool(_ name: String) throws(RequestError) -> Bool? {
        guard let v = value(name) else { return nil }
        guard let b = reader.bool(v) else { throw RequestError("'\(name)' must be true or false") }
        return b
    }

    func int(_ name: String) throws(RequestError) -> Int64? {
        guard let v = value(name) else { return nil }
        guard let i = reader.int64(v) else { throw RequestError("'\(name)' must be an integer") }
        return i
    }

    func strings(_ name: String) throws(RequestError) -> [String]? {
        guard let v = value(name) else { return nil }
        guard reader.kind(v) == .array else { throw RequestError("'\(name)' must be an array of strings") }
        var out: [String] = []
        var bad = false
        reader.forEachElement(v) { e in if let s = reader.string(e) { out.append(s) } else { bad = true } }
        if bad { throw RequestError("'\(name)' must be an array of strings") }
        return out
    }

    func ints(_ name: String) throws(RequestError) -> [Int64]? {
        guard let v = value(name) else { return nil }
        guard reader.kind(v) == .array else { throw RequestError("'\(name)' must be an array of integers") }
        var out: [Int64] = []
        var bad = false
        reader.forEachElement(v) { e in if let i = reader.int64(e) { out.append(i) } else { bad = true } }
        if bad { throw RequestError("'\(name)' must be an array of integers") }
        return out
    }

    func base64url(_ name: String) throws(RequestError) -> [UInt8]? {
        guard let v = value(name) else { return nil }
        guard let s = reader.string(v) else { throw RequestError("'\(name)' must be a string") }
        guard let b = Base64URL.decode(s, allowPadding: true) else { throw RequestError("'\(name)' is not base64url") }
        return b
    }

    func action(_ name: String) throws(RequestError) -> SignalAction? {
        guard let v = value(name) else { return nil }
        guard let s = reader.string(v), let a = SignalAction(rawValue: s) else {
            throw RequestError("'\(name)' must be \"reject\" or \"report\"")
        }
        return a
    }
}
