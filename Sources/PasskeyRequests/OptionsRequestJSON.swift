import PasskeyJSON
public import PasskeyProtocol

/// The request JSON of `passkeyd options` and `passkeyctl options` (README, "Options"): the relying-party members
/// `verify` takes and what the ceremony's options are for, read into the wire's options requests. Words
/// (`resident_key`, `hints`, ...) are checked where the options are generated.
public enum OptionsRequestJSON {
    public enum Kind: String, Sendable { case registration, authentication }

    public enum Request: Sendable {
        case registration(GenerateRegistrationOptionsRequest)
        case authentication(GenerateAuthenticationOptionsRequest)

        public var wire: PasskeydRequest {
            switch self {
            case let .registration(r): .registrationOptions(r)
            case let .authentication(r): .authenticationOptions(r)
            }
        }
    }

    /// Members of both kinds besides the relying party's.
    static let common: Set<String> = ["context_b64url", "extensions", "user_verification", "hints"]

    public static func knownMembers(_ kind: Kind) -> Set<String> {
        PolicyJSON.members.union(common).union(
            kind == .registration
                ? ["user", "exclude_credentials", "resident_key", "authenticator_attachment"] : ["allow_credentials"])
    }

    public static func parse(_ kind: Kind, _ json: [UInt8]) throws(RequestError) -> Request {
        try JSONFields.withObject(json) { (f) throws(RequestError) in
            try f.refuseUnknown(knownMembers(kind))
            let policy = try PolicyJSON.policy(f)
            switch kind {
            case .registration:
                guard let uf = try f.object("user", "an object {\"id_b64url\", \"name\", \"display_name\"}") else {
                    throw RequestError("'user' must be an object {\"id_b64url\", \"name\", \"display_name\"}")
                }
                try uf.refuseUnknown(["id_b64url", "name", "display_name"], "user members")
                guard let id = try uf.base64url("id_b64url") else { throw RequestError("'user.id_b64url' is required") }
                var r = GenerateRegistrationOptionsRequest(
                    policy: policy, userID: id, userName: try uf.requiredString("name"),
                    userDisplayName: try uf.string("display_name") ?? "")
                r.excludeCredentials = try descriptors(f, "exclude_credentials")
                r.context = try f.base64url("context_b64url") ?? []
                r.extensions = try extensions(f)
                r.residentKey = try f.string("resident_key") ?? ""
                r.userVerification = try f.string("user_verification") ?? ""
                r.authenticatorAttachment = try f.string("authenticator_attachment") ?? ""
                r.hints = try f.strings("hints") ?? []
                return .registration(r)
            case .authentication:
                var r = GenerateAuthenticationOptionsRequest(policy: policy)
                r.allowCredentials = try descriptors(f, "allow_credentials")
                r.context = try f.base64url("context_b64url") ?? []
                r.extensions = try extensions(f)
                r.userVerification = try f.string("user_verification") ?? ""
                r.hints = try f.strings("hints") ?? []
                return .authentication(r)
            }
        }
    }

    /// `[{"id_b64url": "...", "transports": ["usb"]}]`.
    static func descriptors(_ f: JSONFields, _ name: String) throws(RequestError) -> [PasskeydCredentialDescriptor] {
        try elements(f, name, "an array of {\"id_b64url\", \"transports\"}") { (e) throws(RequestError) in
            try e.refuseUnknown(["id_b64url", "transports"], "\(name) members")
            guard let id = try e.base64url("id_b64url") else { throw RequestError("'\(name)' entries need 'id_b64url'") }
            return PasskeydCredentialDescriptor(id: id, transports: try e.strings("transports") ?? [])
        }
    }

    /// `{"prf": {"eval": {"first_b64url", "second_b64url"}, "eval_by_credential": [{"credential_id_b64url",
    /// "first_b64url", "second_b64url"}]}, "large_blob": {"support", "read", "write_b64url"},
    /// "cred_protect": {"policy", "enforce"}}`.
    static func extensions(_ f: JSONFields) throws(RequestError) -> PasskeydExtensionInputs? {
        guard let ef = try f.object("extensions") else { return nil }
        try ef.refuseUnknown(["prf", "large_blob", "cred_protect"], "extensions members")
        var out = PasskeydExtensionInputs()
        if let pf = try ef.object("prf") {
            try pf.refuseUnknown(["eval", "eval_by_credential"], "extensions.prf members")
            var prf = PasskeydExtensionInputs.PRF()
            if let e = try pf.object("eval") { prf.eval = try prfValues(e, ["first_b64url", "second_b64url"]) }
            let entries = try elements(pf, "eval_by_credential", "an array") {
                (e) throws(RequestError) -> ([UInt8], PasskeydExtensionInputs.PRFValues) in
                let values = try prfValues(e, ["credential_id_b64url", "first_b64url", "second_b64url"])
                guard let id = try e.base64url("credential_id_b64url") else {
                    throw RequestError("'eval_by_credential' entries need 'credential_id_b64url'")
                }
                return (id, values)
            }
            for (id, values) in entries {
                guard prf.evalByCredential.updateValue(values, forKey: id) == nil else {
                    throw RequestError("'eval_by_credential' names credential \(Base64URL.encode(id)) twice")
                }
            }
            out.prf = prf
        }
        if let bf = try ef.object("large_blob") {
            try bf.refuseUnknown(["support", "read", "write_b64url"], "extensions.large_blob members")
            out.largeBlob = .init(
                support: try bf.string("support"), read: try bf.bool("read") ?? false, write: try bf.base64url("write_b64url"))
        }
        if let cf = try ef.object("cred_protect") {
            try cf.refuseUnknown(["policy", "enforce"], "extensions.cred_protect members")
            guard let policy = try cf.string("policy") else { throw RequestError("'extensions.cred_protect.policy' is required") }
            out.credProtect = .init(policy: policy, enforce: try cf.bool("enforce") ?? false)
        }
        return out
    }

    static func prfValues(_ f: JSONFields, _ known: Set<String>) throws(RequestError) -> PasskeydExtensionInputs.PRFValues {
        try f.refuseUnknown(known, "prf values members")
        guard let first = try f.base64url("first_b64url") else { throw RequestError("prf values need 'first_b64url'") }
        return .init(first: first, second: try f.base64url("second_b64url"))
    }

    /// The object elements of an array member, each read by `body`; [] when absent.
    static func elements<T>(
        _ f: JSONFields, _ name: String, _ shape: String, _ body: (JSONFields) throws(RequestError) -> T
    ) throws(RequestError) -> [T] {
        guard let v = f.value(name) else { return [] }
        let r = f.reader
        guard r.kind(v) == .array else { throw RequestError("'\(name)' must be \(shape)") }
        var out: [T] = []
        var problem: RequestError?
        r.forEachElement(v) { e in
            guard problem == nil else { return }
            do throws(RequestError) {
                guard r.kind(e) == .object else { throw RequestError("'\(name)' entries must be objects") }
                out.append(try body(JSONFields(reader: r, root: e)))
            } catch {
                problem = error
            }
        }
        if let problem { throw problem }
        return out
    }
}
