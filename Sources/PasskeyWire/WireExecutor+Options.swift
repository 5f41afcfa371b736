internal import CPasskeyProto
import PasskeyCOSE
import PasskeyWebAuthn

extension WireExecutor {
    /// `generate_registration_options` / `generate_authentication_options`: fills `response` with the result (every
    /// failure, an unusable policy included, is the result's code). False when the method's message is missing.
    func executeOptions(
        _ r: Passkeyd__V1__Request, into response: UnsafeMutablePointer<Passkeyd__V1__Response>
    ) -> Bool {
        let out = new(Passkeyd__V1__GenerateOptionsResult.self, passkeyd__v1__generate_options_result__init)
        let generated: Result<GeneratedOptions, ItemFailure>
        switch r.method_case {
        case PASSKEYD__V1__REQUEST__METHOD_GENERATE_REGISTRATION_OPTIONS:
            guard let item = r.generate_registration_options else { return false }
            generated = Result { () throws(ItemFailure) in try registrationOptions(item.pointee) }
            response.pointee.result_case = PASSKEYD__V1__RESPONSE__RESULT_GENERATE_REGISTRATION_OPTIONS
            response.pointee.generate_registration_options = out
        default:
            guard let item = r.generate_authentication_options else { return false }
            generated = Result { () throws(ItemFailure) in try authenticationOptions(item.pointee) }
            response.pointee.result_case = PASSKEYD__V1__RESPONSE__RESULT_GENERATE_AUTHENTICATION_OPTIONS
            response.pointee.generate_authentication_options = out
        }
        switch generated {
        case let .success(g):
            out.pointee.options_json = cString(g.json)
            out.pointee.challenge = binary(g.challenge)
            out.pointee.expires_at_unix_ms = g.expiresAtMs
            out.pointee.timeout_ms = UInt32(clamping: g.timeoutMs)
        case let .failure(e):
            out.pointee.error_code = e.code
            out.pointee.error_message = cString(e.message)
        }
        return true
    }

    func registrationOptions(_ m: Passkeyd__V1__GenerateRegistrationOptionsRequest) throws(ItemFailure) -> GeneratedOptions {
        let rp = try party(m.policy)
        return try Self.engine { () throws(WebAuthnError) in
            guard let u = m.user?.pointee else { throw WebAuthnError(.malformedRequest, "the request has no user") }
            let request = RegistrationOptionsRequest(
                user: UserEntity(id: Array(view(u.id)), name: string(u.name), displayName: string(u.display_name)),
                excludeCredentials: try Self.descriptors(m.exclude_credentials, m.n_exclude_credentials),
                context: Array(view(m.context)), extensions: try Self.extensions(m.extensions),
                residentKey: try Self.word(m.resident_key, "resident_key"),
                userVerification: try Self.word(m.user_verification, "user_verification"),
                authenticatorAttachment: try Self.word(m.authenticator_attachment, "authenticator_attachment"),
                hints: m.n_hints > 0 ? try Self.words(m.hints, m.n_hints, "hints") : nil)
            return try rp.registrationOptions(request, keys: registry.challengeKeys)
        }
    }

    func authenticationOptions(_ m: Passkeyd__V1__GenerateAuthenticationOptionsRequest) throws(ItemFailure) -> GeneratedOptions {
        let rp = try party(m.policy)
        return try Self.engine { () throws(WebAuthnError) in
            let request = AuthenticationOptionsRequest(
                allowCredentials: try Self.descriptors(m.allow_credentials, m.n_allow_credentials),
                context: Array(view(m.context)), extensions: try Self.extensions(m.extensions),
                userVerification: try Self.word(m.user_verification, "user_verification"),
                hints: m.n_hints > 0 ? try Self.words(m.hints, m.n_hints, "hints") : nil)
            return try rp.authenticationOptions(request, keys: registry.challengeKeys)
        }
    }

    static func engine<T>(_ body: () throws(WebAuthnError) -> T) throws(ItemFailure) -> T {
        do throws(WebAuthnError) {
            return try body()
        } catch {
            throw ItemFailure(code: error.code.wire, message: error.message)
        }
    }

    /// The wire `OptionsPolicy` (every zero value is the engine's default).
    static func optionsPolicy(_ p: Passkeyd__V1__OptionsPolicy) throws(WebAuthnError) -> OptionsPolicy {
        var o = OptionsPolicy()
        if let name = p.rp_name, name.pointee != 0 { o.rpName = String(cString: name) }
        if p.timeout_ms != 0 { o.timeoutMs = Int64(p.timeout_ms) }
        if p.challenge_grace_ms != 0 { o.challengeGraceMs = Int64(p.challenge_grace_ms) }
        if let v: ResidentKeyRequirement = try word(p.resident_key, "options.resident_key") { o.residentKey = v }
        if let v: UserVerificationRequirement = try word(p.user_verification, "options.user_verification") { o.userVerification = v }
        o.authenticatorAttachment = try word(p.authenticator_attachment, "options.authenticator_attachment")
        if let v: AttestationConveyance = try word(p.attestation, "options.attestation") { o.attestation = v }
        guard p.n_attestation_formats <= 16, p.n_hints <= 16, p.n_algorithms <= maximumInlineAlgorithms else {
            throw WebAuthnError(.malformedRequest, "options lists are too long (16 formats, 16 hints, 64 algorithms at most)")
        }
        o.attestationFormats = strings(p.attestation_formats, p.n_attestation_formats)
        o.hints = try words(p.hints, p.n_hints, "options.hints")
        if p.n_algorithms > 0 {
            o.algorithms = try (0..<p.n_algorithms).map { (i) throws(WebAuthnError) -> COSEAlgorithm in
                guard let a = COSEAlgorithm(rawValue: p.algorithms[i]) else {
                    throw WebAuthnError(.malformedRequest, "options.algorithms: " + COSEAlgorithm.refusalReason(p.algorithms[i]))
                }
                return a
            }
        }
        o.requestCredProps = p.omit_cred_props == 0
        return o
    }

    /// A string naming a WebAuthn enum value; empty: nil.
    static func word<T: RawRepresentable<String>>(
        _ p: UnsafeMutablePointer<CChar>?, _ field: String
    ) throws(WebAuthnError) -> T? {
        guard let p, p.pointee != 0 else { return nil }
        let s = String(cString: p)
        guard let v = T(rawValue: s) else {
            throw WebAuthnError(.malformedRequest, "\(field): '\(s.prefix(64))' is not a known value")
        }
        return v
    }

    static func words<T: RawRepresentable<String>>(
        _ p: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ n: Int, _ field: String
    ) throws(WebAuthnError) -> [T] {
        guard n <= 16 else { throw WebAuthnError(.malformedRequest, "\(field) has \(n) values; at most 16") }
        var out: [T] = []
        for s in strings(p, n) {
            guard let v = T(rawValue: s) else {
                throw WebAuthnError(.malformedRequest, "\(field): '\(s.prefix(64))' is not a known value")
            }
            out.append(v)
        }
        return out
    }

    static func descriptors(
        _ p: UnsafeMutablePointer<UnsafeMutablePointer<Passkeyd__V1__CredentialDescriptor>?>?, _ n: Int
    ) throws(WebAuthnError) -> [CredentialDescriptor] {
        guard n <= OptionsLimits.credentials else {
            throw WebAuthnError(.fieldTooLarge, "\(n) credentials; at most \(OptionsLimits.credentials) are accepted")
        }
        guard let p, n > 0 else { return [] }
        return (0..<n).compactMap { i in
            p[i].map { d in
                CredentialDescriptor(id: Array(view(d.pointee.id)), transports: strings(d.pointee.transports, d.pointee.n_transports))
            }
        }
    }

    static func prfValues(_ p: UnsafeMutablePointer<Passkeyd__V1__PRFValues>?) -> PRFValues? {
        guard let v = p?.pointee else { return nil }
        return PRFValues(first: Array(view(v.first)), second: v.second.len > 0 ? Array(view(v.second)) : nil)
    }

    static func extensions(_ p: UnsafeMutablePointer<Passkeyd__V1__ExtensionInputs>?) throws(WebAuthnError) -> ExtensionInputs {
        guard let e = p?.pointee else { return ExtensionInputs() }
        var out = ExtensionInputs()
        if let prf = e.prf?.pointee {
            guard prf.n_eval_by_credential <= OptionsLimits.credentials else {
                throw WebAuthnError(.fieldTooLarge, "prf.eval_by_credential has \(prf.n_eval_by_credential) entries; at most \(OptionsLimits.credentials)")
            }
            var byCredential: [(credentialID: [UInt8], values: PRFValues)] = []
            for i in 0..<prf.n_eval_by_credential {
                guard let entry = prf.eval_by_credential[i]?.pointee, let values = prfValues(entry.values) else {
                    throw WebAuthnError(.malformedRequest, "prf.eval_by_credential[\(i)] has no values")
                }
                byCredential.append((Array(view(entry.credential_id)), values))
            }
            out.prf = PRFInputs(eval: prfValues(prf.eval), evalByCredential: byCredential)
        }
        if let b = e.large_blob?.pointee {
            out.largeBlob = LargeBlobInputs(
                support: try word(b.support, "large_blob.support"), read: b.read != 0,
                write: b.write.len > 0 ? Array(view(b.write)) : nil)
        }
        if let c = e.cred_protect?.pointee {
            guard let policy: CredProtectInputs.Policy = try word(c.credential_protection_policy, "cred_protect.credential_protection_policy")
            else {
                throw WebAuthnError(.malformedRequest, "cred_protect needs a credential_protection_policy")
            }
            out.credProtect = CredProtectInputs(policy: policy, enforce: c.enforce_credential_protection_policy != 0)
        }
        return out
    }
}
