import PasskeyJSON
import PasskeyCOSE

extension RelyingParty {
    /// `PublicKeyCredentialCreationOptionsJSON` for `request`, with a challenge minted by `keys` for a registration
    /// of this relying party bound to `request.context`, valid for the options' timeout plus grace from `nowMs`
    /// (default: the policy's clock, as verification uses).
    public func registrationOptions(
        _ request: RegistrationOptionsRequest, keys: ChallengeKeyRing, nowMs: Int64? = nil
    ) throws(WebAuthnError) -> GeneratedOptions {
        let o = policy.options
        try Self.checkUser(request.user)
        try Self.checkDescriptors(request.excludeCredentials, "excludeCredentials")
        try Self.checkRegistrationExtensions(request.extensions)
        let algorithms = try offeredAlgorithms()
        let issued = try keys.mint(
            ChallengeBinding(ceremony: .registration, rpID: id, context: request.context), lifetimeMs: o.challengeLifetimeMs,
            nowMs: nowMs ?? policy.nowMs)
        let residentKey = request.residentKey ?? o.residentKey
        let hints = request.hints ?? o.hints

        var w = JSONWriter()
        w.beginObject()
        w.key("rp")
        w.beginObject()
        w.member("id", id)
        w.member("name", o.rpName ?? id)
        w.endObject()
        w.key("user")
        w.beginObject()
        w.member("id", Base64URL.encode(request.user.id))
        w.member("name", request.user.name)
        w.member("displayName", request.user.displayName)
        w.endObject()
        w.member("challenge", Base64URL.encode(issued.token))
        w.key("pubKeyCredParams")
        w.beginArray()
        for a in algorithms {
            w.beginObject()
            w.member("type", "public-key")
            w.member("alg", a.rawValue)
            w.endObject()
        }
        w.endArray()
        w.member("timeout", o.timeoutMs)
        Self.descriptors(request.excludeCredentials, "excludeCredentials", &w)
        w.key("authenticatorSelection")
        w.beginObject()
        if let attachment = request.authenticatorAttachment ?? o.authenticatorAttachment {
            w.member("authenticatorAttachment", attachment.rawValue)
        }
        w.member("residentKey", residentKey.rawValue)
        // Level 1's member, for older browsers: true exactly when residentKey is "required" (§5.4.4).
        w.member("requireResidentKey", residentKey == .required)
        w.member("userVerification", userVerification(request.userVerification).rawValue)
        w.endObject()
        if !hints.isEmpty { Self.strings("hints", hints.map(\.rawValue), &w) }
        w.member("attestation", o.attestation.rawValue)
        if !o.attestationFormats.isEmpty { Self.strings("attestationFormats", o.attestationFormats, &w) }
        let e = request.extensions
        if o.requestCredProps || !e.isEmpty || policy.appID != nil {
            w.key("extensions")
            w.beginObject()
            if o.requestCredProps { w.member("credProps", true) }
            // U2F migrations: keep authenticators holding a legacy credential of this AppID from registering again.
            if let appID = policy.appID { w.member("appidExclude", appID) }
            if let p = e.prf { Self.prf(p, &w) }
            if let support = e.largeBlob?.support {
                w.key("largeBlob")
                w.beginObject()
                w.member("support", support.rawValue)
                w.endObject()
            }
            if let c = e.credProtect {
                w.member("credentialProtectionPolicy", c.policy.rawValue)
                w.member("enforceCredentialProtectionPolicy", c.enforce)
            }
            w.endObject()
        }
        w.endObject()
        return GeneratedOptions(
            json: w.text, challenge: issued.token, expiresAtMs: issued.expiresAtMs, timeoutMs: o.timeoutMs, issued: issued)
    }

    /// `PublicKeyCredentialRequestOptionsJSON` for `request`, with a challenge minted for an authentication of this
    /// relying party bound to `request.context`; with empty `allowCredentials` the challenge is minted for a
    /// usernameless login (its verification then requires the response's userHandle).
    public func authenticationOptions(
        _ request: AuthenticationOptionsRequest, keys: ChallengeKeyRing, nowMs: Int64? = nil
    ) throws(WebAuthnError) -> GeneratedOptions {
        let o = policy.options
        try Self.checkDescriptors(request.allowCredentials, "allowCredentials")
        try Self.checkAuthenticationExtensions(request.extensions, allow: request.allowCredentials)
        let issued = try keys.mint(
            ChallengeBinding(
                ceremony: .authentication, rpID: id, context: request.context, discoverable: request.discoverable),
            lifetimeMs: o.challengeLifetimeMs, nowMs: nowMs ?? policy.nowMs)
        let hints = request.hints ?? o.hints

        var w = JSONWriter()
        w.beginObject()
        w.member("challenge", Base64URL.encode(issued.token))
        w.member("timeout", o.timeoutMs)
        w.member("rpId", id)
        Self.descriptors(request.allowCredentials, "allowCredentials", &w)
        w.member("userVerification", userVerification(request.userVerification).rawValue)
        if !hints.isEmpty { Self.strings("hints", hints.map(\.rawValue), &w) }
        let e = request.extensions
        if !e.isEmpty || policy.appID != nil {
            w.key("extensions")
            w.beginObject()
            if let appID = policy.appID { w.member("appid", appID) }
            if let p = e.prf { Self.prf(p, &w) }
            if let b = e.largeBlob {
                w.key("largeBlob")
                w.beginObject()
                if b.read { w.member("read", true) }
                if let blob = b.write { w.member("write", Base64URL.encode(blob)) }
                w.endObject()
            }
            w.endObject()
        }
        w.endObject()
        return GeneratedOptions(
            json: w.text, challenge: issued.token, expiresAtMs: issued.expiresAtMs, timeoutMs: o.timeoutMs, issued: issued)
    }

    /// The policy's preference list, less what the policy would refuse at verification.
    func offeredAlgorithms() throws(WebAuthnError) -> [COSEAlgorithm] {
        let offered = policy.options.algorithms.filter { policy.allowedAlgorithms.contains($0) }
        guard !offered.isEmpty else {
            throw WebAuthnError(
                .malformedRequest, "none of the options' algorithms is allowed by the policy: no credential could be created")
        }
        return offered
    }

    /// Never less than verification demands.
    func userVerification(_ requested: UserVerificationRequirement?) -> UserVerificationRequirement {
        policy.requireUserVerification ? .required : (requested ?? policy.options.userVerification)
    }

    // MARK: - Checks

    static func checkUser(_ u: UserEntity) throws(WebAuthnError) {
        guard !u.id.isEmpty else { throw WebAuthnError(.malformedRequest, "user.id is empty (a user handle is 1–64 bytes)") }
        guard u.id.count <= InputLimits.userHandle else {
            throw WebAuthnError(.fieldTooLarge, "user.id is \(u.id.count) bytes; a user handle is at most \(InputLimits.userHandle)")
        }
        guard !u.name.isEmpty else { throw WebAuthnError(.malformedRequest, "user.name is empty") }
        for (field, value) in [("user.name", u.name), ("user.displayName", u.displayName)]
        where value.utf8.count > OptionsLimits.nameBytes {
            throw WebAuthnError(.fieldTooLarge, "\(field) is \(value.utf8.count) bytes; at most \(OptionsLimits.nameBytes) are accepted")
        }
    }

    static func checkDescriptors(_ list: [CredentialDescriptor], _ field: String) throws(WebAuthnError) {
        guard list.count <= OptionsLimits.credentials else {
            throw WebAuthnError(.fieldTooLarge, "\(field) has \(list.count) entries; at most \(OptionsLimits.credentials) are accepted")
        }
        for (i, d) in list.enumerated() {
            guard !d.id.isEmpty else { throw WebAuthnError(.credentialIdEmpty, "\(field)[\(i)] has an empty id") }
            guard d.id.count <= InputLimits.credentialID else {
                throw WebAuthnError(.credentialIdTooLong, "\(field)[\(i)] id is \(d.id.count) bytes; at most \(InputLimits.credentialID)")
            }
            guard d.transports.count <= InputLimits.transports,
                d.transports.allSatisfy({ !$0.isEmpty && $0.utf8.count <= InputLimits.transportLength })
            else {
                throw WebAuthnError(
                    .fieldTooLarge,
                    "\(field)[\(i)] transports: at most \(InputLimits.transports) non-empty values of at most \(InputLimits.transportLength) bytes")
            }
        }
    }

    static func checkPRFValues(_ v: PRFValues, _ field: String) throws(WebAuthnError) {
        for salt in [v.first, v.second ?? []] where salt.count > OptionsLimits.prfSaltBytes {
            throw WebAuthnError(.fieldTooLarge, "\(field): a salt is \(salt.count) bytes; at most \(OptionsLimits.prfSaltBytes)")
        }
    }

    static func checkRegistrationExtensions(_ e: ExtensionInputs) throws(WebAuthnError) {
        if let p = e.prf {
            guard p.evalByCredential.isEmpty else {
                throw WebAuthnError(.malformedRequest, "prf.evalByCredential is for authentication only")
            }
            if let v = p.eval { try checkPRFValues(v, "prf.eval") }
        }
        if let b = e.largeBlob {
            guard b.support != nil, !b.read, b.write == nil else {
                throw WebAuthnError(.malformedRequest, "largeBlob at registration takes 'support' only (read and write are for authentication)")
            }
        }
    }

    static func checkAuthenticationExtensions(_ e: ExtensionInputs, allow: [CredentialDescriptor]) throws(WebAuthnError) {
        guard e.credProtect == nil else {
            throw WebAuthnError(.malformedRequest, "credProtect is a registration extension")
        }
        if let p = e.prf {
            if let v = p.eval { try checkPRFValues(v, "prf.eval") }
            if !p.evalByCredential.isEmpty {
                guard !allow.isEmpty else {
                    throw WebAuthnError(.malformedRequest, "prf.evalByCredential needs allowCredentials (the browser refuses it otherwise)")
                }
                let allowed = Set(allow.map(\.id))
                var seen = Set<[UInt8]>()
                for (i, entry) in p.evalByCredential.enumerated() {
                    guard allowed.contains(entry.credentialID) else {
                        throw WebAuthnError(.malformedRequest, "prf.evalByCredential[\(i)] names a credential that is not in allowCredentials")
                    }
                    guard seen.insert(entry.credentialID).inserted else {
                        throw WebAuthnError(.malformedRequest, "prf.evalByCredential names a credential twice")
                    }
                    try checkPRFValues(entry.values, "prf.evalByCredential")
                }
            }
        }
        if let b = e.largeBlob {
            guard b.support == nil else {
                throw WebAuthnError(.malformedRequest, "largeBlob 'support' is for registration only")
            }
            guard b.read != (b.write != nil) else {
                throw WebAuthnError(.malformedRequest, "largeBlob at authentication takes exactly one of 'read' and 'write'")
            }
            if let blob = b.write {
                guard allow.count == 1 else {
                    throw WebAuthnError(.malformedRequest, "largeBlob 'write' needs exactly one allowCredentials entry")
                }
                guard blob.count <= OptionsLimits.largeBlobWriteBytes else {
                    throw WebAuthnError(.fieldTooLarge, "largeBlob.write is \(blob.count) bytes; at most \(OptionsLimits.largeBlobWriteBytes)")
                }
            }
        }
    }

    // MARK: - Writing

    static func descriptors(_ list: [CredentialDescriptor], _ name: String, _ w: inout JSONWriter) {
        w.key(name)
        w.beginArray()
        for d in list {
            w.beginObject()
            w.member("type", "public-key")
            w.member("id", Base64URL.encode(d.id))
            if !d.transports.isEmpty { strings("transports", d.transports, &w) }
            w.endObject()
        }
        w.endArray()
    }

    static func strings(_ name: String, _ values: [String], _ w: inout JSONWriter) {
        w.key(name)
        w.beginArray()
        for v in values { w.string(v) }
        w.endArray()
    }

    static func prfValues(_ v: PRFValues, _ w: inout JSONWriter) {
        w.beginObject()
        w.member("first", Base64URL.encode(v.first))
        if let second = v.second { w.member("second", Base64URL.encode(second)) }
        w.endObject()
    }

    static func prf(_ p: PRFInputs, _ w: inout JSONWriter) {
        w.key("prf")
        w.beginObject()
        if let eval = p.eval {
            w.key("eval")
            prfValues(eval, &w)
        }
        if !p.evalByCredential.isEmpty {
            w.key("evalByCredential")
            w.beginObject()
            for entry in p.evalByCredential {
                w.key(Base64URL.encode(entry.credentialID))
                prfValues(entry.values, &w)
            }
            w.endObject()
        }
        w.endObject()
    }
}
