import PasskeyCBOR
import PasskeyCOSE
import PasskeyCrypto
import PasskeyMLDSA
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// ML-DSA-65 / ML-DSA-87 credentials (COSE AKP keys, RFC 9964) through the whole engine, ML-DSA-44 refused by name.
@Suite struct MLDSATests {
    let challenge = SoftRandom.bytes(32)
    static let algorithms: [COSEAlgorithm] = [.mldsa65, .mldsa87]

    // MARK: Helpers

    /// A COSE_Key map with exactly the given members (nil leaves one out), in the order given.
    static func coseKey(kty: Int64? = 7, alg: Int64?, pub: [UInt8]?, pubAsText: Bool = false, priv: [UInt8]? = nil) -> [UInt8] {
        var w = CBORWriter()
        w.beginMap([kty != nil, alg != nil, pub != nil, priv != nil].filter { $0 }.count)
        if let kty { w.writeInt(1); w.writeInt(kty) }
        if let alg { w.writeInt(3); w.writeInt(alg) }
        if let pub {
            w.writeInt(-1)
            if pubAsText { w.writeText(String(repeating: "a", count: pub.count)) } else { w.writeBytes(pub) }
        }
        if let priv { w.writeInt(-2); w.writeBytes(priv) }
        return w.bytes
    }

    /// A `none` registration whose attested credential data carries `cose` as the credential public key.
    func register(cose: [UInt8], rp: RelyingParty? = nil) throws -> VerifiedRegistration {
        var authData = sha256(Array(rpId.utf8))
        authData.append(AuthenticatorFlags([.userPresent, .userVerified, .attestedCredentialData]).rawValue)
        authData += [0, 0, 0, 0] + SoftRandom.bytes(16) + [0, 16] + SoftRandom.bytes(16) + cose
        let clientData = ClientDataJSON.make(type: "webauthn.create", challenge: challenge, origin: origin)
        var w = CBORWriter()
        w.beginMap(0)
        let object = SoftAuthenticator.attestationObject(fmt: "none", statement: w.bytes, authData: authData)
        return try WebAuthnVerifier().verifyRegistration(
            credentialID: nil, clientDataJSON: clientData, attestationObject: object, challenge: challenge,
            relyingParty: try rp ?? makeRP())
    }

    /// An assertion from `auth` checked against the stored key `cose`.
    func authenticate(_ auth: SoftAuthenticator, storedKey cose: [UInt8]) throws -> VerifiedAuthentication {
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        return try WebAuthnVerifier().verifyAuthentication(
            authenticatorData: a.authenticatorData, clientDataJSON: a.clientDataJSON, signature: a.signature,
            challenge: challenge, credential: StoredCredential(publicKey: cose), relyingParty: try makeRP())
    }

    static func mldsaKey(_ auth: SoftAuthenticator) throws -> SoftMLDSAKey {
        guard let key = auth.credentialPrivateKey.mldsaKey else { throw SoftError("not an ML-DSA authenticator") }
        return key
    }

    // MARK: Ceremonies

    @Test(arguments: algorithms)
    func registrationNoneAndPackedSelfThenAssertions(_ alg: COSEAlgorithm) throws {
        let set = try #require(alg.mldsaParameterSet)
        let auth = try KeyBank.authenticator(alg)
        // RFC 9964 §3: {1: 7, 3: alg, -1: pub}, nothing else.
        let key = try Self.mldsaKey(auth)
        #expect(auth.cosePublicKey == Self.coseKey(alg: alg.rawValue, pub: key.publicKey))
        #expect(key.publicKey.count == set.publicKeyByteCount)
        for (attestation, isPacked) in [(SoftAttestation.none, false), (.packedSelf, true)] {
            let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: attestation)
            let r = try WebAuthnVerifier().verifyRegistration(responseJSON: reg.json, challenge: challenge, relyingParty: try makeRP())
            #expect(r.algorithm == alg)
            #expect(r.credentialPublicKey == auth.cosePublicKey)
            #expect(r.attestationType == (isPacked ? .self : .none))
            #expect(r.format == (isPacked ? "packed" : "none"))
        }
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        #expect(a.signature.count == set.signatureByteCount)
        let v = try verify(a, auth, challenge: challenge, rp: try makeRP())
        #expect(v.algorithm == alg)
    }

    @Test(arguments: algorithms)
    func cachedKeyIsChargedItsSize(_ alg: COSEAlgorithm) throws {
        let auth = try KeyBank.authenticator(alg)
        let cache = KeyCache(capacity: 4, shardCount: 1)
        let verifier = WebAuthnVerifier(keyCache: cache)
        for _ in 0..<2 {
            let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
            _ = try verify(a, auth, challenge: challenge, rp: try makeRP(), storedCount: auth.signCount - 1, verifier: verifier)
        }
        let s = cache.statistics
        #expect(s.count == 1 && s.hits == 1 && s.misses == 1)
        let entry = try #require(auth.cosePublicKey.withUnsafeBytes { cache.cachedEntry(for: $0) })
        #expect(entry.algorithm == alg)
        guard let key = entry.key.mldsaKey else { Issue.record("not an ML-DSA entry: \(entry.key)"); return }
        #expect(key.estimatedMemoryBytes > key.parameterSet.publicKeyByteCount * 3)
        #expect(s.bytes >= auth.cosePublicKey.count + key.estimatedMemoryBytes)
        // A budget smaller than one ML-DSA entry keeps nothing, and verification still works.
        let small = WebAuthnVerifier(keyCache: KeyCache(capacity: 4, maximumBytes: 4_000, shardCount: 1))
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        _ = try verify(a, auth, challenge: challenge, rp: try makeRP(), storedCount: auth.signCount - 1, verifier: small)
        #expect(small.keyCache.statistics.count == 0)
    }

    @Test(arguments: algorithms)
    func policyWithoutTheAlgorithmRefusesIt(_ alg: COSEAlgorithm) throws {
        #expect(COSEAlgorithm.defaultAllowed.contains(alg))
        let auth = try KeyBank.authenticator(alg)
        let rp = try makeRP { $0.allowedAlgorithms = [.es256] }
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge)
        expectCode(.algorithmNotAllowed) {
            _ = try WebAuthnVerifier().verifyRegistration(responseJSON: reg.json, challenge: challenge, relyingParty: rp)
        }
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        expectCode(.algorithmNotAllowed) { _ = try verify(a, auth, challenge: challenge, rp: rp) }
    }

    // MARK: ML-DSA-44

    @Test func mldsa44IsRefusedNamingIt() throws {
        #expect(COSEAlgorithm(rawValue: -48) == nil)
        let listed = COSEAlgorithm.allCases.map(\.rawValue)
        #expect(listed.contains(-49) && listed.contains(-50) && !listed.contains(-48))
        let cose = Self.coseKey(alg: -48, pub: SoftRandom.bytes(1312))
        let e1 = expectCode(.unsupportedAlgorithm) { _ = try register(cose: cose) }
        #expect(e1?.message.contains("ML-DSA-44") == true)
        let auth = try KeyBank.authenticator(.mldsa65)
        let e2 = expectCode(.unsupportedAlgorithm) { _ = try authenticate(auth, storedKey: cose) }
        #expect(e2?.message.contains("ML-DSA-44") == true)
    }

    // MARK: Malformed keys

    static let pub65 = [UInt8](repeating: 0x5A, count: 1952)
    static let pub87 = [UInt8](repeating: 0x5A, count: 2592)

    /// A malformed key and the code it must get (named by `what` in test output, not by its 2 KB of bytes).
    struct MalformedKey: Sendable, CustomTestStringConvertible {
        let what: String
        let cose: [UInt8]
        let code: WebAuthnError.Code
        init(_ what: String, _ cose: [UInt8], _ code: WebAuthnError.Code) {
            self.what = what
            self.cose = cose
            self.code = code
        }
        var testDescription: String { "\(what) → \(code.rawValue)" }
    }

    static let malformedKeys: [MalformedKey] = [
        MalformedKey("pub one byte short", coseKey(alg: -49, pub: Array(pub65.dropLast())), .malformedPublicKey),
        MalformedKey("pub one byte long", coseKey(alg: -49, pub: pub65 + [0]), .malformedPublicKey),
        MalformedKey("ML-DSA-87 pub under ML-DSA-65", coseKey(alg: -49, pub: pub87), .malformedPublicKey),
        MalformedKey("ML-DSA-65 pub under ML-DSA-87", coseKey(alg: -50, pub: pub65), .malformedPublicKey),
        MalformedKey("ML-DSA-87 pub one byte short", coseKey(alg: -50, pub: Array(pub87.dropLast())), .malformedPublicKey),
        MalformedKey("empty pub", coseKey(alg: -49, pub: []), .malformedPublicKey),
        MalformedKey("no pub", coseKey(alg: -49, pub: nil), .malformedPublicKey),
        MalformedKey("pub is text", coseKey(alg: -49, pub: Array(repeating: 0, count: 1952), pubAsText: true), .malformedPublicKey),
        MalformedKey("priv present", coseKey(alg: -49, pub: pub65, priv: [UInt8](repeating: 1, count: 32)), .malformedPublicKey),
        MalformedKey("no alg", coseKey(alg: nil, pub: pub65), .malformedPublicKey),
        MalformedKey("no kty", coseKey(kty: nil, alg: -49, pub: pub65), .malformedPublicKey),
        MalformedKey("AKP with ES256", coseKey(alg: -7, pub: pub65), .algorithmMismatch),
        MalformedKey("AKP with EdDSA", coseKey(alg: -8, pub: pub65), .algorithmMismatch),
        MalformedKey("EC2 with ML-DSA-65", coseKey(kty: 2, alg: -49, pub: pub65), .algorithmMismatch),
        MalformedKey("OKP with ML-DSA-87", coseKey(kty: 1, alg: -50, pub: pub87), .algorithmMismatch),
        MalformedKey("unknown alg", coseKey(alg: -51_000, pub: pub65), .unsupportedAlgorithm),
    ]

    @Test(arguments: malformedKeys)
    func malformedKeyIsRefused(_ key: MalformedKey) throws {
        let e = expectCode(key.code) { _ = try register(cose: key.cose) }
        #expect(e != nil, "\(key.what)")
        let auth = try KeyBank.authenticator(.mldsa65)
        expectCode(key.code) { _ = try authenticate(auth, storedKey: key.cose) }
    }

    /// The well-formed control of the table above: the same shapes with the right lengths are accepted.
    @Test func wellFormedAKPKeysParse() throws {
        for alg in Self.algorithms {
            let set = try #require(alg.mldsaParameterSet)
            let cose = Self.coseKey(alg: alg.rawValue, pub: [UInt8](repeating: 0x5A, count: set.publicKeyByteCount))
            #expect(try register(cose: cose).algorithm == alg)
        }
        // Member order carries no meaning (the reader enforces canonical encoding, not order).
        var w = CBORWriter()
        w.beginMap(3)
        w.writeInt(-1); w.writeBytes(Self.pub65)
        w.writeInt(3); w.writeInt(-49)
        w.writeInt(1); w.writeInt(7)
        #expect(try register(cose: w.bytes).algorithm == .mldsa65)
    }

    /// An ML-DSA-65 key presented as ML-DSA-87 has the wrong `pub` length for -50 and never reaches verification.
    @Test func keyOfOneSetUnderTheOtherIdentifier() throws {
        let key = try Self.mldsaKey(try KeyBank.authenticator(.mldsa65))
        let liar = SoftAuthenticator(algorithm: .mldsa87, mldsaKey: key, credentialID: SoftRandom.bytes(16), aaguid: SoftRandom.bytes(16))
        expectCode(.malformedPublicKey) { _ = try authenticate(liar, storedKey: liar.cosePublicKey) }
    }

    // MARK: Signatures

    @Test(arguments: algorithms)
    func signatureOfTheWrongLengthIsMalformed(_ alg: COSEAlgorithm) throws {
        let set = try #require(alg.mldsaParameterSet)
        let auth = try KeyBank.authenticator(alg)
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        let other = set == .mldsa65 ? MLDSAParameterSet.mldsa87 : .mldsa65
        // One byte short, one byte long, one byte, and the other parameter set's length.
        let padded = a.signature + [UInt8](repeating: 0, count: other.signatureByteCount)
        let wrong: [[UInt8]] = [
            Array(a.signature.dropLast()), a.signature + [0], [0], Array(padded.prefix(other.signatureByteCount)),
        ]
        for sig in wrong {
            var b = a
            b.signature = sig
            let e = expectCode(.malformedSignature) { _ = try verify(b, auth, challenge: challenge, rp: try makeRP()) }
            #expect(e?.message.contains("\(set.signatureByteCount)") == true)
        }
    }

    @Test(arguments: algorithms)
    func oneFlippedSignatureBitIsBadSignature(_ alg: COSEAlgorithm) throws {
        let auth = try KeyBank.authenticator(alg)
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        // c̃ (the start), z (the middle) and the hint bytes (the end).
        for (index, bit) in [(0, 0x01), (a.signature.count / 2, 0x10), (a.signature.count - 1, 0x80)] {
            var b = a
            b.signature[index] ^= UInt8(bit)
            expectCode(.badSignature) { _ = try verify(b, auth, challenge: challenge, rp: try makeRP()) }
        }
        _ = try verify(a, auth, challenge: challenge, rp: try makeRP())
    }

    /// RFC 9964 §5: the context is the empty string. A signature made under any other context is not valid here.
    @Test(arguments: algorithms)
    func signatureWithAContextIsBadSignature(_ alg: COSEAlgorithm) throws {
        let auth = try KeyBank.authenticator(alg)
        var a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        a.signature = try Self.mldsaKey(auth).sign(a.authenticatorData + sha256(a.clientDataJSON), context: Array("webauthn".utf8))
        expectCode(.badSignature) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
    }

    /// One verifier, two keys of the same set: B's key must not accept A's signature (and A's still does afterwards).
    @Test func anotherKeysSignatureDoesNotVerify() throws {
        let a = try SoftAuthenticator(algorithm: .mldsa65)
        let b = try SoftAuthenticator(algorithm: .mldsa65)
        let verifier = WebAuthnVerifier()
        let assertion = try a.assert(rpId: rpId, origin: origin, challenge: challenge)
        _ = try verify(assertion, a, challenge: challenge, rp: try makeRP(), verifier: verifier)
        expectCode(.badSignature) {
            _ = try verifier.verifyAuthentication(
                authenticatorData: assertion.authenticatorData, clientDataJSON: assertion.clientDataJSON,
                signature: assertion.signature, challenge: challenge, credential: StoredCredential(publicKey: b.cosePublicKey),
                relyingParty: try makeRP())
        }
        _ = try verify(assertion, a, challenge: challenge, rp: try makeRP(), verifier: verifier)
    }

    // MARK: Packed

    func packed(_ auth: SoftAuthenticator, alg: Int64, x5c: [[UInt8]]? = nil, mutate: @escaping @Sendable ([UInt8]) -> [UInt8] = { $0 })
        throws -> SoftRegistration
    {
        try auth.register(
            rpId: rpId, origin: origin, challenge: challenge,
            attestation: .statement(format: "packed") { auth, authData, clientDataHash in
                let sig = mutate(try auth.sign(authData + clientDataHash))
                var w = CBORWriter()
                w.beginMap(x5c == nil ? 2 : 3)
                w.writeText("alg"); w.writeInt(alg)
                w.writeText("sig"); w.writeBytes(sig)
                if let x5c {
                    w.writeText("x5c"); w.beginArray(x5c.count)
                    for c in x5c { w.writeBytes(c) }
                }
                return w.bytes
            })
    }

    func verifyRegistration(_ reg: SoftRegistration) throws -> VerifiedRegistration {
        try WebAuthnVerifier().verifyRegistration(responseJSON: reg.json, challenge: challenge, relyingParty: try makeRP())
    }

    @Test(arguments: algorithms)
    func packedSelfAttestationChecks(_ alg: COSEAlgorithm) throws {
        let auth = try KeyBank.authenticator(alg)
        #expect(try verifyRegistration(try packed(auth, alg: alg.rawValue)).attestationType == .self)
        let other: COSEAlgorithm = alg == .mldsa65 ? .mldsa87 : .mldsa65
        expectCode(.algorithmMismatch) { _ = try verifyRegistration(try packed(auth, alg: other.rawValue)) }
        expectCode(.badSignature) {
            _ = try verifyRegistration(try packed(auth, alg: alg.rawValue) { s in var t = s; t[7] ^= 0x04; return t })
        }
        expectCode(.malformedSignature) {
            _ = try verifyRegistration(try packed(auth, alg: alg.rawValue) { s in Array(s.dropLast()) })
        }
        let e = expectCode(.unsupportedAlgorithm) { _ = try verifyRegistration(try packed(auth, alg: -48)) }
        #expect(e?.message.contains("-48") == true)
    }

    /// Attestation certificates stay OpenSSL keys: an ML-DSA `alg` with an x5c cannot be verified by the leaf's key.
    @Test func packedFullAttestationWithMLDSAAlgIsAlgorithmMismatch() throws {
        let auth = try KeyBank.authenticator(.mldsa65)
        var leaf = TestCA.LeafOptions()
        leaf.aaguid = auth.aaguid
        let identity = try SharedCA.ca.issueAttestation(algorithm: .es256, options: leaf)
        let reg = try packed(auth, alg: COSEAlgorithm.mldsa65.rawValue, x5c: identity.chain.map(\.derBytes))
        expectCode(.algorithmMismatch) { _ = try verifyRegistration(reg) }
        // And an ML-DSA credential attested by a classic attestation key is fine.
        let classic = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .packed(identity))
        let r = try verifyRegistration(classic)
        #expect(r.attestationType == .basic && r.algorithm == .mldsa65)
    }

    @Test func fidoU2FRefusesAnMLDSACredential() throws {
        let auth = try KeyBank.authenticator(.mldsa65)
        let leaf = try SharedCA.ca.issueAttestation(algorithm: .es256).chain[0].derBytes
        let reg = try auth.register(
            rpId: rpId, origin: origin, challenge: challenge,
            attestation: .statement(format: "fido-u2f") { _, _, _ in
                var w = CBORWriter()
                w.beginMap(2)
                w.writeText("sig"); w.writeBytes([0x30, 0x00])
                w.writeText("x5c"); w.beginArray(1); w.writeBytes(leaf)
                return w.bytes
            })
        expectCode(.invalidAttestationStatement) { _ = try verifyRegistration(reg) }
    }
}
