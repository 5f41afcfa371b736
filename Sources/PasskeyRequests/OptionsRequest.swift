import PasskeyJSON
public import PasskeyWebAuthn

/// One `passkeyd options registration|authentication` request (README, "Options"): the relying-party members
/// `passkeyd verify` takes (rp_id, origins, options, app_id, ...) and what the ceremony's options are for.
public struct OptionsRequest: Sendable {
    public enum Kind: String, Sendable { case registration, authentication }

    public var relyingParty: RelyingParty
    public var registration: RegistrationOptionsRequest?
    public var authentication: AuthenticationOptionsRequest?

    /// Members of both kinds besides the relying party's.
    static let common: Set<String> = ["context_b64url", "extensions", "user_verification", "hints"]
    public static func knownMembers(_ kind: Kind) -> Set<String> {
        RelyingPartyJSON.members.union(common).union(
            kind == .registration
                ? ["user", "exclude_credentials", "resident_key", "authenticator_attachment"] : ["allow_credentials"])
    }

    public init(kind: Kind, json: [UInt8]) throws(RequestError) {
        self = try json.withBytes { (bytes) throws(RequestError) in
            var reader = JSONReader()
            let root: JSONReader.Value
            do {
                root = try reader.parse(bytes)
            } catch {
                throw RequestError("request is not strict JSON: \(error)")
            }
            guard reader.kind(root) == .object else { throw RequestError("request is not a JSON object") }
            try Self.refuseUnknown(reader, root, Self.knownMembers(kind))
            let f = JSONFields(reader: reader, root: root)
            var out = OptionsRequest(relyingParty: try RelyingPartyJSON.decode(f))
            switch kind {
            case .registration: out.registration = try Self.registration(f)
            case .authentication: out.authentication = try Self.authentication(f)
            }
            return out
        }
    }

    init(relyingParty: RelyingParty) { self.relyingParty = relyingParty }

    static func refuseUnknown(_ r: JSONReader, _ o: JSONReader.Value, _ known: Set<String>) throws(RequestError) {
        var unknown: [String] = []
        r.forEachMember(o) { k, _ in if let n = r.string(k), !known.contains(n) { unknown.append(n) } }
        if !unknown.isEmpty { throw RequestError("unknown members: \(unknown.joined(separator: ", "))") }
    }

    /// The registration members of a request object (also what `passkeyctl options` sends).
    public static func registration(_ f: JSONFields) throws(RequestError) -> RegistrationOptionsRequest {
        guard let u = f.value("user"), f.reader.kind(u) == .object else {
            throw RequestError("'user' must be an object {\"id_b64url\", \"name\", \"display_name\"}")
        }
        try refuseUnknown(f.reader, u, ["id_b64url", "name", "display_name"])
        let uf = JSONFields(reader: f.reader, root: u)
        guard let id = try uf.base64url("id_b64url") else { throw RequestError("'user.id_b64url' is required") }
        return RegistrationOptionsRequest(
            user: UserEntity(id: id, name: try uf.requiredString("name"), displayName: try uf.string("display_name") ?? ""),
            excludeCredentials: try descriptors(f, "exclude_credentials"), context: try f.base64url("context_b64url") ?? [],
            extensions: try extensions(f), residentKey: try RelyingPartyJSON.word(f, "resident_key"),
            userVerification: try RelyingPartyJSON.word(f, "user_verification"),
            authenticatorAttachment: try RelyingPartyJSON.word(f, "authenticator_attachment"),
            hints: try RelyingPartyJSON.words(f, "hints"))
    }

    public static func authentication(_ f: JSONFields) throws(RequestError) -> AuthenticationOptionsRequest {
        AuthenticationOptionsRequest(
            allowCredentials: try descriptors(f, "allow_credentials"), context: try f.base64url("context_b64url") ?? [],
            extensions: try extensions(f), userVerification: try RelyingPartyJSON.word(f, "user_verification"),
            hints: try RelyingPartyJSON.words(f, "hints"))
    }

    /// `[{"id_b64url": "...", "transports": ["usb"]}]`.
    static func descriptors(_ f: JSONFields, _ name: String) throws(RequestError) -> [CredentialDescriptor] {
        guard let v = f.value(name) else { return [] }
        let r = f.reader
        guard r.kind(v) == .array else { throw RequestError("'\(name)' must be an array of {\"id_b64url\", \"transports\"}") }
        var out: [CredentialDescriptor] = []
        var problem: RequestError?
        r.forEachElement(v) { e in
            guard problem == nil else { return }
            do throws(RequestError) {
                guard r.kind(e) == .object else { throw RequestError("'\(name)' entries must be objects") }
                try refuseUnknown(r, e, ["id_b64url", "transports"])
                let ef = JSONFields(reader: r, root: e)
                guard let id = try ef.base64url("id_b64url") else { throw RequestError("'\(name)' entries need 'id_b64url'") }
                out.append(CredentialDescriptor(id: id, transports: try ef.strings("transports") ?? []))
            } catch {
                problem = error
            }
        }
        if let problem { throw problem }
        return out
    }

    /// `{"prf": {"eval": {"first_b64url", "second_b64url"}, "eval_by_credential": [{"credential_id_b64url",
    /// "first_b64url", "second_b64url"}]}, "large_blob": {"support", "read", "write_b64url"},
    /// "cred_protect": {"policy", "enforce"}}`.
    static func extensions(_ f: JSONFields) throws(RequestError) -> ExtensionInputs {
        guard let v = f.value("extensions") else { return ExtensionInputs() }
        let r = f.reader
        guard r.kind(v) == .object else { throw RequestError("'extensions' must be an object") }
        try refuseUnknown(r, v, ["prf", "large_blob", "cred_protect"])
        let ef = JSONFields(reader: r, root: v)
        var out = ExtensionInputs()
        if let p = ef.value("prf") {
            guard r.kind(p) == .object else { throw RequestError("'extensions.prf' must be an object") }
            try refuseUnknown(r, p, ["eval", "eval_by_credential"])
            let pf = JSONFields(reader: r, root: p)
            var prf = PRFInputs()
            if let e = pf.value("eval") { prf.eval = try prfValues(r, e, ["first_b64url", "second_b64url"]) }
            if let list = pf.value("eval_by_credential") {
                guard r.kind(list) == .array else { throw RequestError("'extensions.prf.eval_by_credential' must be an array") }
                var problem: RequestError?
                r.forEachElement(list) { e in
                    guard problem == nil else { return }
                    do throws(RequestError) {
                        let values = try prfValues(r, e, ["credential_id_b64url", "first_b64url", "second_b64url"])
                        guard let id = try JSONFields(reader: r, root: e).base64url("credential_id_b64url") else {
                            throw RequestError("'eval_by_credential' entries need 'credential_id_b64url'")
                        }
                        prf.evalByCredential.append((id, values))
                    } catch {
                        problem = error
                    }
                }
                if let problem { throw problem }
            }
            out.prf = prf
        }
        if let b = ef.value("large_blob") {
            guard r.kind(b) == .object else { throw RequestError("'extensions.large_blob' must be an object") }
            try refuseUnknown(r, b, ["support", "read", "write_b64url"])
            let bf = JSONFields(reader: r, root: b)
            out.largeBlob = LargeBlobInputs(
                support: try RelyingPartyJSON.word(bf, "support", "extensions.large_blob."), read: try bf.bool("read") ?? false,
                write: try bf.base64url("write_b64url"))
        }
        if let c = ef.value("cred_protect") {
            guard r.kind(c) == .object else { throw RequestError("'extensions.cred_protect' must be an object") }
            try refuseUnknown(r, c, ["policy", "enforce"])
            let cf = JSONFields(reader: r, root: c)
            guard let policy: CredProtectInputs.Policy = try RelyingPartyJSON.word(cf, "policy", "extensions.cred_protect.") else {
                throw RequestError("'extensions.cred_protect.policy' is required")
            }
            out.credProtect = CredProtectInputs(policy: policy, enforce: try cf.bool("enforce") ?? false)
        }
        return out
    }

    static func prfValues(_ r: JSONReader, _ v: JSONReader.Value, _ known: Set<String>) throws(RequestError) -> PRFValues {
        guard r.kind(v) == .object else { throw RequestError("prf values must be objects {\"first_b64url\", \"second_b64url\"}") }
        try refuseUnknown(r, v, known)
        let f = JSONFields(reader: r, root: v)
        guard let first = try f.base64url("first_b64url") else { throw RequestError("prf values need 'first_b64url'") }
        return PRFValues(first: first, second: try f.base64url("second_b64url"))
    }

    /// Generates the options with `keys`: the result JSON line (`{"ok": true, "options": {...}, ...}`), or the
    /// engine's refusal.
    public func generate(keys: ChallengeKeyRing, nowMs: Int64? = nil) -> Result<GeneratedOptions, WebAuthnError> {
        Result { () throws(WebAuthnError) -> GeneratedOptions in
            if let registration { return try relyingParty.registrationOptions(registration, keys: keys, nowMs: nowMs) }
            return try relyingParty.authenticationOptions(authentication!, keys: keys, nowMs: nowMs)
        }
    }

    /// `{"ok":true,"options":OPTIONS,"challenge_b64url":"...","expires_at_unix_ms":N,"timeout_ms":N}`.
    public static func json(_ g: GeneratedOptions) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.member("challenge_b64url", Base64URL.encode(g.challenge))
        w.member("expires_at_unix_ms", g.expiresAtMs)
        w.member("timeout_ms", g.timeoutMs)
        w.endObject()
        // The options text is already JSON: spliced in as it is.
        return "{\"ok\":true,\"options\":" + g.json + "," + String(w.text.dropFirst())
    }
}
