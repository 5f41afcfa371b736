import PasskeyJSON
import PasskeyWebAuthn
import PasskeyCOSE

extension RelyingPartyJSON {
    /// The members of a relying party's `options` object (every one optional; absent means the default).
    public static let optionsMembers: Set<String> = [
        "rp_name", "timeout_ms", "challenge_grace_ms", "resident_key", "user_verification", "authenticator_attachment",
        "attestation", "attestation_formats", "hints", "algorithms", "cred_props",
    ]

    /// `options` (what generated options offer) and `app_id` (U2F migrations) into `policy`.
    static func decodeOptions(_ fields: JSONFields, into policy: inout Policy) throws(RequestError) {
        if let appID = try fields.string("app_id") { policy.appID = appID }
        guard let v = fields.value("options") else { return }
        let r = fields.reader
        guard r.kind(v) == .object else { throw RequestError("'options' must be an object") }
        var unknown: [String] = []
        r.forEachMember(v) { k, _ in if let n = r.string(k), !optionsMembers.contains(n) { unknown.append(n) } }
        if !unknown.isEmpty { throw RequestError("unknown options members: \(unknown.joined(separator: ", "))") }
        let f = JSONFields(reader: r, root: v)
        var o = OptionsPolicy()
        if let s = try f.string("rp_name") { o.rpName = s }
        if let t = try f.int("timeout_ms") { o.timeoutMs = t }
        if let g = try f.int("challenge_grace_ms") { o.challengeGraceMs = g }
        if let x: ResidentKeyRequirement = try word(f, "resident_key", "options.") { o.residentKey = x }
        if let x: UserVerificationRequirement = try word(f, "user_verification", "options.") { o.userVerification = x }
        o.authenticatorAttachment = try word(f, "authenticator_attachment", "options.")
        if let x: AttestationConveyance = try word(f, "attestation", "options.") { o.attestation = x }
        if let formats = try f.strings("attestation_formats") { o.attestationFormats = formats }
        if let hints: [PublicKeyCredentialHint] = try words(f, "hints", "options.") { o.hints = hints }
        if let algs = try f.ints("algorithms") {
            o.algorithms = try algs.map { (a) throws(RequestError) -> COSEAlgorithm in
                guard let alg = COSEAlgorithm(rawValue: a) else {
                    throw RequestError("options.algorithms: " + COSEAlgorithm.refusalReason(a))
                }
                return alg
            }
        }
        if let b = try f.bool("cred_props") { o.requestCredProps = b }
        policy.options = o
    }

    /// `decodeOptions` for a client that sends the members on (passkeyctl): the same checks, the same messages.
    public static func decodeOptionsForClients(_ fields: JSONFields, into policy: inout Policy) throws(RequestError) {
        try decodeOptions(fields, into: &policy)
    }

    /// A string member naming a WebAuthn enum value.
    public static func word<T: RawRepresentable<String>>(
        _ f: JSONFields, _ name: String, _ prefix: String = ""
    ) throws(RequestError) -> T? {
        guard let s = try f.string(name) else { return nil }
        guard let v = T(rawValue: s) else { throw RequestError("'\(prefix)\(name)': '\(s.prefix(64))' is not a known value") }
        return v
    }

    public static func words<T: RawRepresentable<String>>(
        _ f: JSONFields, _ name: String, _ prefix: String = ""
    ) throws(RequestError) -> [T]? {
        guard let list = try f.strings(name) else { return nil }
        var out: [T] = []
        for s in list {
            guard let v = T(rawValue: s) else { throw RequestError("'\(prefix)\(name)': '\(s.prefix(64))' is not a known value") }
            out.append(v)
        }
        return out
    }
}
