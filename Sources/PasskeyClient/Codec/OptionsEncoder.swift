internal import CPasskeyProto

extension ProtoArena {
    func registrationOptions(_ r: GenerateRegistrationOptionsRequest) -> UnsafeMutablePointer<Passkeyd__V1__GenerateRegistrationOptionsRequest> {
        let m = new(Passkeyd__V1__GenerateRegistrationOptionsRequest.self, passkeyd__v1__generate_registration_options_request__init)
        m.pointee.policy = policy(r.policy)
        let u = new(Passkeyd__V1__PublicKeyCredentialUser.self, passkeyd__v1__public_key_credential_user__init)
        u.pointee.id = binary(r.userID)
        u.pointee.name = cString(r.userName)
        u.pointee.display_name = cString(r.userDisplayName)
        m.pointee.user = u
        (m.pointee.n_exclude_credentials, m.pointee.exclude_credentials) = descriptors(r.excludeCredentials)
        m.pointee.context = binary(r.context)
        if let e = r.extensions { m.pointee.extensions = extensions(e) }
        if !r.residentKey.isEmpty { m.pointee.resident_key = cString(r.residentKey) }
        if !r.userVerification.isEmpty { m.pointee.user_verification = cString(r.userVerification) }
        if !r.authenticatorAttachment.isEmpty { m.pointee.authenticator_attachment = cString(r.authenticatorAttachment) }
        (m.pointee.n_hints, m.pointee.hints) = cStrings(r.hints)
        return m
    }

    func authenticationOptions(_ r: GenerateAuthenticationOptionsRequest) -> UnsafeMutablePointer<Passkeyd__V1__GenerateAuthenticationOptionsRequest> {
        let m = new(Passkeyd__V1__GenerateAuthenticationOptionsRequest.self, passkeyd__v1__generate_authentication_options_request__init)
        m.pointee.policy = policy(r.policy)
        (m.pointee.n_allow_credentials, m.pointee.allow_credentials) = descriptors(r.allowCredentials)
        m.pointee.context = binary(r.context)
        if let e = r.extensions { m.pointee.extensions = extensions(e) }
        if !r.userVerification.isEmpty { m.pointee.user_verification = cString(r.userVerification) }
        (m.pointee.n_hints, m.pointee.hints) = cStrings(r.hints)
        return m
    }

    func descriptors(
        _ list: [PasskeydCredentialDescriptor]
    ) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Passkeyd__V1__CredentialDescriptor>?>?) {
        guard !list.isEmpty else { return (0, nil) }
        let p = pointers(Passkeyd__V1__CredentialDescriptor.self, list.count)
        for (i, d) in list.enumerated() {
            let c = new(Passkeyd__V1__CredentialDescriptor.self, passkeyd__v1__credential_descriptor__init)
            c.pointee.id = binary(d.id)
            (c.pointee.n_transports, c.pointee.transports) = cStrings(d.transports)
            p[i] = c
        }
        return (list.count, p)
    }

    func prfValues(_ v: PasskeydExtensionInputs.PRFValues) -> UnsafeMutablePointer<Passkeyd__V1__PRFValues> {
        let m = new(Passkeyd__V1__PRFValues.self, passkeyd__v1__prfvalues__init)
        m.pointee.first = binary(v.first)
        if let second = v.second { m.pointee.second = binary(second) }
        return m
    }

    func extensions(_ e: PasskeydExtensionInputs) -> UnsafeMutablePointer<Passkeyd__V1__ExtensionInputs> {
        let m = new(Passkeyd__V1__ExtensionInputs.self, passkeyd__v1__extension_inputs__init)
        if let prf = e.prf {
            let p = new(Passkeyd__V1__PRFInputs.self, passkeyd__v1__prfinputs__init)
            if let v = prf.eval { p.pointee.eval = prfValues(v) }
            if !prf.evalByCredential.isEmpty {
                let list = pointers(Passkeyd__V1__PRFCredentialValues.self, prf.evalByCredential.count)
                for (i, (id, values)) in prf.evalByCredential.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }).enumerated() {
                    let c = new(Passkeyd__V1__PRFCredentialValues.self, passkeyd__v1__prfcredential_values__init)
                    c.pointee.credential_id = binary(id)
                    c.pointee.values = prfValues(values)
                    list[i] = c
                }
                p.pointee.n_eval_by_credential = prf.evalByCredential.count
                p.pointee.eval_by_credential = list
            }
            m.pointee.prf = p
        }
        if let b = e.largeBlob {
            let l = new(Passkeyd__V1__LargeBlobInputs.self, passkeyd__v1__large_blob_inputs__init)
            if let s = b.support { l.pointee.support = cString(s) }
            l.pointee.read = b.read ? 1 : 0
            if let w = b.write { l.pointee.write = binary(w) }
            m.pointee.large_blob = l
        }
        if let c = e.credProtect {
            let p = new(Passkeyd__V1__CredProtectInputs.self, passkeyd__v1__cred_protect_inputs__init)
            p.pointee.credential_protection_policy = cString(c.policy)
            p.pointee.enforce_credential_protection_policy = c.enforce ? 1 : 0
            m.pointee.cred_protect = p
        }
        return m
    }
}

extension GenerateRegistrationOptionsRequest {
    var arenaEstimate: Int {
        var n = 1024 + policy.arenaEstimate + userID.count + userName.utf8.count + userDisplayName.utf8.count + context.count
        for d in excludeCredentials { n += 96 + d.id.count + d.transports.count * 32 }
        return n + (extensions?.arenaEstimate ?? 0) + hints.count * 32
    }
}

extension GenerateAuthenticationOptionsRequest {
    var arenaEstimate: Int {
        var n = 1024 + policy.arenaEstimate + context.count
        for d in allowCredentials { n += 96 + d.id.count + d.transports.count * 32 }
        return n + (extensions?.arenaEstimate ?? 0) + hints.count * 32
    }
}

extension PasskeydExtensionInputs {
    var arenaEstimate: Int {
        var n = 512
        if let p = prf {
            n += 128 + (p.eval.map { $0.first.count + ($0.second?.count ?? 0) } ?? 0)
            for (id, v) in p.evalByCredential { n += 160 + id.count + v.first.count + (v.second?.count ?? 0) }
        }
        return n + (largeBlob?.write?.count ?? 0) + (credProtect?.policy.utf8.count ?? 0)
    }
}
