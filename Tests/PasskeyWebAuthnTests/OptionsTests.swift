import PasskeyCOSE
import PasskeyJSON
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// Options as the engine generates them: the JSON is read back with the strict reader and every member checked; the
/// challenge is an issued one that the ceremonies accept; every default comes from the policy and can be changed;
/// what a browser would refuse is refused here first.
@Suite struct OptionsTests {
    static let now: Int64 = 1_800_000_000_000
    let keys = try! ChallengeKeyRing(keys: [try! ChallengeKey(name: "k", secret: [UInt8](repeating: 7, count: 32))], minting: "k")
    let user = UserEntity(id: [1, 2, 3, 4], name: "alice@example.com", displayName: "Alice")

    /// The generated JSON, parsed strictly, as a tree of Swift values.
    static func parse(_ g: GeneratedOptions) throws -> [String: JSONValue] {
        guard case let .object(o) = try JSONValue.parse(g.json) else { throw SoftError("options are not an object") }
        return o
    }

    @Test func registrationDefaults() throws {
        let rp = try makeRP()
        let g = try rp.registrationOptions(RegistrationOptionsRequest(user: user), keys: keys, nowMs: Self.now)
        let o = try Self.parse(g)
        #expect(Set(o.keys) == ["rp", "user", "challenge", "pubKeyCredParams", "timeout", "excludeCredentials",
                                "authenticatorSelection", "attestation", "extensions"])
        #expect(o["rp"] == .object(["id": .string(rpId), "name": .string(rpId)]))
        #expect(o["user"] == .object(["id": .string("AQIDBA"), "name": .string("alice@example.com"), "displayName": .string("Alice")]))
        #expect(o["challenge"] == .string(Base64URL.encode(g.challenge)))
        #expect(g.challenge.count == 66 && g.challenge == g.issued.token)
        #expect(o["pubKeyCredParams"] == .array([-7, -8, -257].map { .object(["type": .string("public-key"), "alg": .number(Double($0))]) }))
        #expect(o["timeout"] == .number(300_000))
        #expect(o["excludeCredentials"] == .array([]))
        #expect(o["authenticatorSelection"] == .object([
            "residentKey": .string("preferred"), "requireResidentKey": .bool(false), "userVerification": .string("preferred"),
        ]))
        #expect(o["attestation"] == .string("none"))
        #expect(o["extensions"] == .object(["credProps": .bool(true)]))
        // The challenge outlives the browser's timeout by the grace.
        #expect(g.expiresAtMs == Self.now + 330_000 && g.timeoutMs == 300_000)
        #expect(g.issued.ceremony == .registration && !g.issued.discoverable)
    }

    @Test func authenticationDefaultsAndUsernameless() throws {
        let rp = try makeRP()
        let g = try rp.authenticationOptions(AuthenticationOptionsRequest(), keys: keys, nowMs: Self.now)
        let o = try Self.parse(g)
        #expect(Set(o.keys) == ["challenge", "timeout", "rpId", "allowCredentials", "userVerification"])
        #expect(o["rpId"] == .string(rpId) && o["allowCredentials"] == .array([]) && o["userVerification"] == .string("preferred"))
        #expect(g.issued.ceremony == .authentication && g.issued.discoverable)
        let named = try rp.authenticationOptions(
            AuthenticationOptionsRequest(allowCredentials: [CredentialDescriptor(id: [9, 9], transports: ["internal", "hybrid"])]),
            keys: keys, nowMs: Self.now)
        #expect(!named.issued.discoverable)
        #expect(try Self.parse(named)["allowCredentials"] == .array([.object([
            "type": .string("public-key"), "id": .string("CQk"), "transports": .array([.string("internal"), .string("hybrid")]),
        ])]))
    }

    /// The whole ceremony in process: the options' challenge is what the soft authenticator signs, and the issued
    /// challenge verifies once, bound to the context the options were asked for.
    @Test func optionsChallengesVerify() throws {
        let rp = try makeRP()
        let context = Array("session-42".utf8)
        let auth = try KeyBank.authenticator(.es256)
        let verifier = WebAuthnVerifier()
        let store = InMemoryReplayStore(capacity: 16)
        let reg = try rp.registrationOptions(RegistrationOptionsRequest(user: user, context: context), keys: keys, nowMs: Self.now)
        let created = try auth.register(rpId: rpId, origin: origin, challenge: reg.challenge)
        let pending = try created.clientDataJSON.withUnsafeBytes { cd in
            try created.attestationObject.withUnsafeBytes { ao in
                try context.withUnsafeBytes { ctx in
                    try verifier.verifyRegistration(
                        AttestationView(clientDataJSON: cd, attestationObject: ao), issuedBy: keys, context: ctx,
                        nowMs: Self.now + 1000, relyingParty: rp)
                }
            }
        }
        let registered = try pending.complete(using: store, nowMs: Self.now + 1000)
        expectCode(.challengeReused) { _ = try pending.complete(using: store, nowMs: Self.now + 1000) }

        // A usernameless login: the token says so, and the response must carry the user handle.
        let login = try rp.authenticationOptions(AuthenticationOptionsRequest(context: context), keys: keys, nowMs: Self.now)
        func verify(_ handle: [UInt8]?) throws -> PendingAuthentication {
            var o = SoftCeremonyOptions()
            o.userHandle = handle
            let a = try auth.assert(rpId: rpId, origin: origin, challenge: login.challenge, options: o)
            return try a.json.withUnsafeBytes { json in
                try registered.credentialPublicKey.withUnsafeBytes { pk in
                    try context.withUnsafeBytes { ctx in
                        try user.id.withUnsafeBytes { uh in
                            try verifier.verifyAuthentication(
                                responseJSON: json, issuedBy: keys, context: ctx,
                                stored: StoredCredentialView(publicKey: pk, signCount: registered.signCount, userHandle: uh),
                                nowMs: Self.now + 2000, relyingParty: rp)
                        }
                    }
                }
            }
        }
        expectCode(.userHandleMissing) { _ = try verify(nil) }
        expectCode(.userHandleMismatch) { _ = try verify([4, 3, 2, 1]) }
        let ok = try verify(user.id).complete(using: store, nowMs: Self.now + 2000)
        #expect(ok.signCount > registered.signCount)
        // Past the timeout plus the grace, the challenge is refused.
        expectCode(.challengeExpired) {
            var o = SoftCeremonyOptions()
            o.userHandle = user.id
            let a = try auth.assert(rpId: rpId, origin: origin, challenge: login.challenge, options: o)
            _ = try a.json.withUnsafeBytes { json in
                try registered.credentialPublicKey.withUnsafeBytes { pk in
                    try context.withUnsafeBytes { ctx in
                        try verifier.verifyAuthentication(
                            responseJSON: json, issuedBy: keys, context: ctx, stored: StoredCredentialView(publicKey: pk, signCount: 0),
                            nowMs: login.expiresAtMs + 1, relyingParty: rp)
                    }
                }
            }
        }
    }

    @Test func everyDefaultIsThePolicys() throws {
        let rp = try makeRP { p in
            p.options.rpName = "Example Corp"
            p.options.timeoutMs = 120_000
            p.options.challengeGraceMs = 5_000
            p.options.residentKey = .required
            p.options.userVerification = .discouraged
            p.options.authenticatorAttachment = .crossPlatform
            p.options.attestation = .direct
            p.options.attestationFormats = ["packed", "tpm"]
            p.options.hints = [.securityKey, .hybrid]
            p.options.algorithms = [.mldsa65, .es256, .rs1]  // RS1 is not allowed by the policy: not offered
            p.options.requestCredProps = false
        }
        let g = try rp.registrationOptions(RegistrationOptionsRequest(user: user), keys: keys, nowMs: Self.now)
        let o = try Self.parse(g)
        #expect(o["rp"] == .object(["id": .string(rpId), "name": .string("Example Corp")]))
        #expect(o["timeout"] == .number(120_000) && g.expiresAtMs == Self.now + 125_000)
        #expect(o["authenticatorSelection"] == .object([
            "authenticatorAttachment": .string("cross-platform"), "residentKey": .string("required"),
            "requireResidentKey": .bool(true), "userVerification": .string("discouraged"),
        ]))
        #expect(o["attestation"] == .string("direct"))
        #expect(o["attestationFormats"] == .array([.string("packed"), .string("tpm")]))
        #expect(o["hints"] == .array([.string("security-key"), .string("hybrid")]))
        #expect(o["pubKeyCredParams"] == .array([-49, -7].map { .object(["type": .string("public-key"), "alg": .number(Double($0))]) }))
        #expect(o["extensions"] == nil)
        // Per-request overrides win over the policy, except that UV is never asked for less than verified.
        let overridden = try Self.parse(
            try rp.registrationOptions(
                RegistrationOptionsRequest(
                    user: user, residentKey: .discouraged, userVerification: .preferred, authenticatorAttachment: .platform,
                    hints: [.clientDevice]), keys: keys, nowMs: Self.now))
        #expect(overridden["authenticatorSelection"] == .object([
            "authenticatorAttachment": .string("platform"), "residentKey": .string("discouraged"),
            "requireResidentKey": .bool(false), "userVerification": .string("preferred"),
        ]))
        #expect(overridden["hints"] == .array([.string("client-device")]))
        let strict = try makeRP { $0.requireUserVerification = true; $0.options.userVerification = .discouraged }
        for json in [
            try strict.registrationOptions(RegistrationOptionsRequest(user: user, userVerification: .discouraged), keys: keys).json,
            try strict.authenticationOptions(AuthenticationOptionsRequest(userVerification: .discouraged), keys: keys).json,
        ] {
            #expect(json.contains("\"userVerification\":\"required\""))
        }
    }

    @Test func algorithmsFollowThePolicy() throws {
        // ML-DSA only when listed and allowed; nothing offered at all is a configuration error, not empty options.
        let noMLDSA = try makeRP { p in
            p.options.algorithms = [.mldsa87, .es256]
            p.allowedAlgorithms.remove(.mldsa87)
        }
        #expect(try noMLDSA.registrationOptions(RegistrationOptionsRequest(user: user), keys: keys).json
            .contains("\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}]"))
        let none = try makeRP { p in
            p.options.algorithms = [.rs1]
        }
        expectCode(.malformedRequest) { _ = try none.registrationOptions(RegistrationOptionsRequest(user: user), keys: keys) }
        // Policies that could never produce valid options are refused when the relying party is built.
        for configure: (inout Policy) -> Void in [
            { $0.options.timeoutMs = 999 }, { $0.options.timeoutMs = 3_600_001 }, { $0.options.challengeGraceMs = -1 },
            { $0.options.algorithms = [] }, { $0.options.algorithms = [.es256, .es256] },
            { $0.options.attestationFormats = ["packd"] }, { $0.options.hints = [.hybrid, .hybrid] },
            { $0.options.rpName = "" }, { $0.appID = "http://example.com/appid" },
        ] {
            expectCode(.malformedRequest) { _ = try makeRP(configure) }
        }
    }

    @Test func extensionInputsPassThrough() throws {
        let rp = try makeRP { $0.appID = "https://example.com/u2f-appid.json" }
        let reg = try rp.registrationOptions(
            RegistrationOptionsRequest(
                user: user,
                extensions: ExtensionInputs(
                    prf: PRFInputs(eval: PRFValues(first: [1, 2, 3], second: [4])), largeBlob: LargeBlobInputs(support: .required),
                    credProtect: CredProtectInputs(policy: .userVerificationRequired, enforce: true))),
            keys: keys)
        #expect(try Self.parse(reg)["extensions"] == .object([
            "credProps": .bool(true), "appidExclude": .string("https://example.com/u2f-appid.json"),
            "prf": .object(["eval": .object(["first": .string("AQID"), "second": .string("BA")])]),
            "largeBlob": .object(["support": .string("required")]),
            "credentialProtectionPolicy": .string("userVerificationRequired"), "enforceCredentialProtectionPolicy": .bool(true),
        ]))
        let allow = [CredentialDescriptor(id: [0xAA]), CredentialDescriptor(id: [0xBB])]
        let login = try rp.authenticationOptions(
            AuthenticationOptionsRequest(
                allowCredentials: allow,
                extensions: ExtensionInputs(
                    prf: PRFInputs(evalByCredential: [([0xBB], PRFValues(first: [5]))]), largeBlob: LargeBlobInputs(read: true))),
            keys: keys)
        #expect(try Self.parse(login)["extensions"] == .object([
            "appid": .string("https://example.com/u2f-appid.json"),
            "prf": .object(["evalByCredential": .object(["uw": .object(["first": .string("BQ")])])]),
            "largeBlob": .object(["read": .bool(true)]),
        ]))
        let write = try rp.authenticationOptions(
            AuthenticationOptionsRequest(allowCredentials: [allow[0]], extensions: ExtensionInputs(largeBlob: LargeBlobInputs(write: [1, 2]))),
            keys: keys)
        #expect(try Self.parse(write)["extensions"]?.member("largeBlob") == .object(["write": .string("AQI")]))
    }

    /// What the browser would throw for (or what passkeyd's limits refuse) is refused with a code and a message.
    @Test func unusableRequestsAreRefused() throws {
        let rp = try makeRP()
        let tooMany = (0..<65).map { CredentialDescriptor(id: [UInt8($0)]) }
        let refusedRegistrations: [(WebAuthnError.Code, RegistrationOptionsRequest)] = [
            (.malformedRequest, RegistrationOptionsRequest(user: UserEntity(id: [], name: "a", displayName: ""))),
            (.fieldTooLarge, RegistrationOptionsRequest(user: UserEntity(id: [UInt8](repeating: 1, count: 65), name: "a", displayName: ""))),
            (.malformedRequest, RegistrationOptionsRequest(user: UserEntity(id: [1], name: "", displayName: ""))),
            (.fieldTooLarge, RegistrationOptionsRequest(user: UserEntity(id: [1], name: String(repeating: "n", count: 257), displayName: ""))),
            (.fieldTooLarge, RegistrationOptionsRequest(user: user, excludeCredentials: tooMany)),
            (.credentialIdEmpty, RegistrationOptionsRequest(user: user, excludeCredentials: [CredentialDescriptor(id: [])])),
            (.fieldTooLarge, RegistrationOptionsRequest(user: user, context: [UInt8](repeating: 0, count: 1025))),
            (.malformedRequest, RegistrationOptionsRequest(user: user, extensions: ExtensionInputs(prf: PRFInputs(evalByCredential: [([1], PRFValues(first: [1]))])))),
            (.malformedRequest, RegistrationOptionsRequest(user: user, extensions: ExtensionInputs(largeBlob: LargeBlobInputs(read: true)))),
            (.fieldTooLarge, RegistrationOptionsRequest(user: user, extensions: ExtensionInputs(prf: PRFInputs(eval: PRFValues(first: [UInt8](repeating: 0, count: 257)))))),
        ]
        for (code, request) in refusedRegistrations {
            expectCode(code) { _ = try rp.registrationOptions(request, keys: keys) }
        }
        let one = [CredentialDescriptor(id: [1])]
        let refusedLogins: [AuthenticationOptionsRequest] = [
            AuthenticationOptionsRequest(extensions: ExtensionInputs(credProtect: CredProtectInputs(policy: .userVerificationOptional))),
            AuthenticationOptionsRequest(extensions: ExtensionInputs(prf: PRFInputs(evalByCredential: [([1], PRFValues(first: [1]))]))),
            AuthenticationOptionsRequest(allowCredentials: one, extensions: ExtensionInputs(prf: PRFInputs(evalByCredential: [([2], PRFValues(first: [1]))]))),
            AuthenticationOptionsRequest(
                allowCredentials: one, extensions: ExtensionInputs(prf: PRFInputs(evalByCredential: [([1], PRFValues(first: [1])), ([1], PRFValues(first: [2]))]))),
            AuthenticationOptionsRequest(allowCredentials: one, extensions: ExtensionInputs(largeBlob: LargeBlobInputs(support: .preferred))),
            AuthenticationOptionsRequest(allowCredentials: one, extensions: ExtensionInputs(largeBlob: LargeBlobInputs(read: true, write: [1]))),
            AuthenticationOptionsRequest(allowCredentials: one, extensions: ExtensionInputs(largeBlob: LargeBlobInputs())),
            AuthenticationOptionsRequest(
                allowCredentials: one + [CredentialDescriptor(id: [2])], extensions: ExtensionInputs(largeBlob: LargeBlobInputs(write: [1]))),
        ]
        for request in refusedLogins {
            expectCode(.malformedRequest) { _ = try rp.authenticationOptions(request, keys: keys) }
        }
    }
}

/// A JSON value, for comparing generated documents member by member (numbers as Double are exact for these).
indirect enum JSONValue: Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    func member(_ name: String) -> JSONValue? {
        if case let .object(o) = self { return o[name] }
        return nil
    }

    /// Parses with the strict reader (duplicate names, bad UTF-8 and the like fail) and converts.
    static func parse(_ text: String) throws -> JSONValue {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { b in
            var reader = JSONReader()
            let root = try reader.parse(b)
            return convert(reader, root)
        }
    }

    static func convert(_ r: JSONReader, _ v: JSONReader.Value) -> JSONValue {
        switch r.kind(v) {
        case .object:
            var o: [String: JSONValue] = [:]
            r.forEachMember(v) { k, value in o[r.string(k)!] = convert(r, value) }
            return .object(o)
        case .array:
            var a: [JSONValue] = []
            r.forEachElement(v) { a.append(convert(r, $0)) }
            return .array(a)
        case .string: return .string(r.string(v)!)
        case .number: return .number(Double(String(decoding: r.rawBytes(v), as: UTF8.self))!)
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null: return .null
        }
    }
}
