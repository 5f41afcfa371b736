import PasskeyJSON
import PasskeyRequests
import PasskeyWebAuthn
import PasskeyCOSE

extension RelyingPartyJSON {
    /// `options` (what generated options offer) and `app_id` (U2F migrations) into `policy`.
    static func decodeOptions(_ fields: JSONFields, into policy: inout Policy) throws(RequestError) {
        if let appID = try fields.string("app_id") { policy.appID = appID }
        guard let v = fields.value("options") else { return }
        let r = fields.reader
        guard r.kind(v) == .object else { throw RequestError("'options' must be an object") }
        var unknown: [String] = []
        r.forEachMember(v) { k, _ in if let n = r.string(k), !PolicyJSON.optionsMembers.contains(n) { unknown.append(n) } }
        if !unknown.isEmpty { throw RequestError("unknown options members: \(unknown.joined(separator: ", "))") }
        let f = JSONFields(reader: r, root: v)
        var o = OptionsPolicy()
        if let s = try f.string("rp_name") { o.rpName = s }
        if let t = try f.int("timeout_ms") { o.timeoutMs = t }
        if let g = try f.int("challenge_grace_ms") { o.challengeGraceMs = g }
        if let x: ResidentKeyRequirement = try f.word("resident_key", "options.") { o.residentKey = x }
        if let x: UserVerificationRequirement = try f.word("user_verification", "options.") { o.userVerification = x }
        o.authenticatorAttachment = try f.word("authenticator_attachment", "options.")
        if let x: AttestationConveyance = try f.word("attestation", "options.") { o.attestation = x }
        if let formats = try f.strings("attestation_formats") { o.attestationFormats = formats }
        if let hints: [PublicKeyCredentialHint] = try f.words("hints", "options.") { o.hints = hints }
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
}
