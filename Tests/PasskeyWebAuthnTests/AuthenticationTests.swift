import PasskeyJSON
import PasskeyCBOR
import PasskeyCOSE
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

@Suite struct AuthenticationTests {
    let challenge = SoftRandom.bytes(32)

    @Test(arguments: allAlgorithms)
    func validAssertionForEveryAlgorithm(_ alg: COSEAlgorithm) throws {
        let auth = try KeyBank.authenticator(alg)
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        let result = try verify(a, auth, challenge: challenge, rp: try makeRP())
        #expect(result.algorithm == alg)
        #expect(result.signCount == 1)
        #expect(result.userPresent && result.userVerified)
        #expect(result.riskSignals.isEmpty)
        // The same assertion through the browser-JSON entry point.
        let viaJSON = try WebAuthnVerifier().verifyAuthentication(
            responseJSON: a.json, challenge: challenge,
            credential: StoredCredential(publicKey: auth.cosePublicKey), relyingParty: try makeRP())
        #expect(viaJSON.signCount == 1)
    }

    @Test(arguments: allAlgorithms)
    func flippedSignedByteIsBadSignature(_ alg: COSEAlgorithm) throws {
        let auth = try KeyBank.authenticator(alg)
        var a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        a.authenticatorData[36] ^= 0x01  // the sign count: signed, not otherwise checked
        expectCode(.badSignature) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
    }

    /// WebAuthn L3 §5.8.5: EdDSA (-8) keys MUST use Ed25519; Ed448 is valid only as -53.
    @Test func ed448UnderGenericEdDSAIsRefused() throws {
        let key = try KeyBank.authenticator(.ed448).privateKey
        let auth = SoftAuthenticator(algorithm: .eddsa, privateKey: key, credentialID: SoftRandom.bytes(16), aaguid: SoftRandom.bytes(16))
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        expectCode(.algorithmMismatch) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
        let fully = SoftAuthenticator(algorithm: .ed448, privateKey: key, credentialID: SoftRandom.bytes(16), aaguid: SoftRandom.bytes(16))
        let b = try fully.assert(rpId: rpId, origin: origin, challenge: challenge)
        #expect(try verify(b, fully, challenge: challenge, rp: try makeRP()).algorithm == .ed448)
    }

    @Test func rs1OnlyWhenPolicyAllowsIt() throws {
        let key = try KeyBank.authenticator(.rs256).privateKey
        let auth = SoftAuthenticator(algorithm: .rs1, privateKey: key, credentialID: [9], aaguid: SoftRandom.bytes(16))
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        expectCode(.algorithmNotAllowed) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
        let rp = try makeRP { $0.allowedAlgorithms.insert(.rs1) }
        #expect(try verify(a, auth, challenge: challenge, rp: rp).algorithm == .rs1)
    }

    @Test func algorithmOutsideTheAllowedList() throws {
        let auth = try KeyBank.authenticator(.es384)
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        expectCode(.algorithmNotAllowed) {
            _ = try verify(a, auth, challenge: challenge, rp: try makeRP { $0.allowedAlgorithms = [.es256] })
        }
    }

    // MARK: - client data

    @Test func wrongType() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = SoftCeremonyOptions()
        o.type = "webauthn.create"
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge, options: o)
        expectCode(.clientDataTypeMismatch) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
    }

    @Test func challengeDiffersInOneByte() throws {
        let auth = try KeyBank.authenticator(.es256)
        var other = challenge
        other[31] ^= 0x80
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: other)
        expectCode(.challengeMismatch) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
    }

    @Test func challengeWithPaddingIsRefused() throws {
        let auth = try KeyBank.authenticator(.es256)
        let ch = [UInt8](repeating: 7, count: 16)  // 22 characters unpadded, 24 with "=="
        let plain = Base64URL.encode(ch)
        var a = try auth.assert(rpId: rpId, origin: origin, challenge: ch)
        let text = String(decoding: a.clientDataJSON, as: UTF8.self).replacingOccurrences("\"\(plain)\"", "\"\(plain)==\"")
        a.clientDataJSON = Array(text.utf8)
        a = try resign(a, auth)
        expectCode(.challengeMismatch) { _ = try verify(a, auth, challenge: ch, rp: try makeRP()) }
    }

    @Test func challengeWithNonCanonicalTrailingBitsIsRefused() throws {
        let auth = try KeyBank.authenticator(.es256)
        let ch = [UInt8](repeating: 0xFF, count: 16)  // ends in "w": 2 data bits + 4 unused zero bits
        let plain = Base64URL.encode(ch)
        #expect(plain.hasSuffix("w"))
        let other = String(plain.dropLast()) + "x"  // the same 16 bytes with a non-zero unused bit
        var a = try auth.assert(rpId: rpId, origin: origin, challenge: ch)
        a.clientDataJSON = Array(String(decoding: a.clientDataJSON, as: UTF8.self).replacingOccurrences("\"\(plain)\"", "\"\(other)\"").utf8)
        a = try resign(a, auth)
        expectCode(.challengeMismatch) { _ = try verify(a, auth, challenge: ch, rp: try makeRP()) }
    }

    @Test(arguments: [
        "https://example.com.evil.com", "https://example.com:443@evil.com", "http://example.com", "https://example.com:8443",
        "https://evil.com", "https://EXAMPLE.com", "https://example.com/", "",
    ])
    func originLookAlikes(_ bad: String) throws {
        let auth = try KeyBank.authenticator(.es256)
        let a = try auth.assert(rpId: rpId, origin: bad, challenge: challenge)
        expectCode(.originMismatch) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
    }

    @Test func androidAppOrigin() throws {
        let fingerprint = "B3:5B:68:D5:CE:84:50:55:8C:6A:2F:6E:6F:92:CF:9A:72:01:34:9C:E5:06:AA:0C:33:6C:A3:9B:4A:1E:3B:57"
        let androidOrigin = try RelyingParty.androidOrigin(fingerprintHex: fingerprint)
        #expect(androidOrigin.hasPrefix("android:apk-key-hash:"))
        let rp = try RelyingParty(id: rpId, origins: [origin], androidAPKSigningCertificateSHA256: [fingerprint.replacingOccurrences(":", "")])
        let auth = try KeyBank.authenticator(.es256)
        let a = try auth.assert(rpId: rpId, origin: androidOrigin, challenge: challenge)
        #expect(try verify(a, auth, challenge: challenge, rp: rp).signCount == 1)
        expectCode(.malformedRequest) { _ = try RelyingParty.androidOrigin(fingerprintHex: "abcd") }
    }

    @Test func crossOriginPolicy() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = SoftCeremonyOptions()
        o.crossOrigin = true
        o.topOrigin = "https://shop.example.net"
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge, options: o)
        expectCode(.crossOriginNotAllowed) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
        let allowedElsewhere = try makeRP {
            $0.allowCrossOrigin = true
            $0.allowedTopOrigins = ["https://other.example.net"]
        }
        expectCode(.topOriginMismatch) { _ = try verify(a, auth, challenge: challenge, rp: allowedElsewhere) }
        let allowed = try makeRP {
            $0.allowCrossOrigin = true
            $0.allowedTopOrigins = ["https://shop.example.net"]
        }
        #expect(try verify(a, auth, challenge: challenge, rp: allowed).signCount >= 1)
        // topOrigin without crossOrigin is still a cross-origin claim.
        var o2 = SoftCeremonyOptions()
        o2.crossOrigin = nil
        o2.topOrigin = "https://shop.example.net"
        let b = try auth.assert(rpId: rpId, origin: origin, challenge: challenge, options: o2)
        expectCode(.crossOriginNotAllowed) { _ = try verify(b, auth, challenge: challenge, rp: try makeRP()) }
    }

    @Test(arguments: [
        "not json", "[]", "{\"type\":\"webauthn.get\",\"type\":\"webauthn.get\"}", "{\"type\":1}",
        "{\"type\":\"webauthn.get\",\"challenge\":\"CHALLENGE\",\"origin\":\"https://example.com\",\"crossOrigin\":\"no\"}",
        "{\"type\":\"webauthn.get\",\"challenge\":\"CHALLENGE\",\"origin\":\"https://example.com\",\"topOrigin\":7}",
        "{\"type\":\"webauthn.get\"} x", "{\"t\u{0}\":1}",
    ])
    func malformedClientData(_ text: String) throws {
        let auth = try KeyBank.authenticator(.es256)
        var a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        a.clientDataJSON = Array(text.replacingOccurrences("CHALLENGE", Base64URL.encode(challenge)).utf8)
        a = try resign(a, auth)
        expectCode(.malformedClientData) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
    }

    @Test func duplicateKeyHiddenByEscapeIsRefused() throws {
        let auth = try KeyBank.authenticator(.es256)
        var a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        // A second "origin" spelled with an escape: parsers that keep the last one would see evil.com.
        var text = String(decoding: a.clientDataJSON, as: UTF8.self)
        text.removeLast()
        text += ",\"orig\\u0069n\":\"https://evil.com\"}"
        a.clientDataJSON = Array(text.utf8)
        a = try resign(a, auth)
        expectCode(.malformedClientData) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
    }

    @Test func invalidUTF8InClientData() throws {
        let auth = try KeyBank.authenticator(.es256)
        var a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        a.clientDataJSON.insert(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "x"), UInt8(ascii: "\""), UInt8(ascii: ":"), UInt8(ascii: "\""), 0xC0, 0x80, UInt8(ascii: "\""), UInt8(ascii: ",")], at: 1)
        a = try resign(a, auth)
        expectCode(.malformedClientData) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
    }

    // MARK: - authenticator data

    @Test func rpIdHashMismatch() throws {
        let auth = try KeyBank.authenticator(.es256)
        let a = try auth.assert(rpId: "evil.com", origin: origin, challenge: challenge)
        expectCode(.rpIdMismatch) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
    }

    @Test func userPresenceAndVerification() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = SoftCeremonyOptions()
        o.flags = [.userVerified]
        let noUP = try auth.assert(rpId: rpId, origin: origin, challenge: challenge, options: o)
        expectCode(.userPresenceRequired) { _ = try verify(noUP, auth, challenge: challenge, rp: try makeRP()) }
        // The registration-only relaxation (conditional create) never reaches an assertion: §7.2 step 16 has no exception.
        expectCode(.userPresenceRequired) {
            _ = try verify(noUP, auth, challenge: challenge, rp: try makeRP { $0.requireUserPresenceAtRegistration = false })
        }
        o.flags = [.userPresent]
        let noUV = try auth.assert(rpId: rpId, origin: origin, challenge: challenge, options: o)
        #expect(try verify(noUV, auth, challenge: challenge, rp: try makeRP()).userVerified == false)
        expectCode(.userVerificationRequired) {
            _ = try verify(noUV, auth, challenge: challenge, rp: try makeRP { $0.requireUserVerification = true })
        }
    }

    @Test func backupStateWithoutEligibility() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = SoftCeremonyOptions()
        o.flags = [.userPresent, .backedUp]
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge, options: o)
        expectCode(.backupStateWithoutEligibility) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
        let reported = try verify(a, auth, challenge: challenge, rp: try makeRP { $0.backupStateWithoutEligibility = .report })
        #expect(reported.riskSignals == [.backupStateWithoutEligibility])
    }

    @Test func backupEligibilityChange() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = SoftCeremonyOptions()
        o.flags = [.userPresent, .backupEligible, .backedUp]
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge, options: o)
        #expect(try verify(a, auth, challenge: challenge, rp: try makeRP(), storedBE: true).backedUp)
        expectCode(.backupEligibilityChanged) {
            _ = try verify(a, auth, challenge: challenge, rp: try makeRP(), storedBE: false)
        }
        let r = try verify(a, auth, challenge: challenge, rp: try makeRP { $0.backupEligibilityChange = .report }, storedBE: false)
        #expect(r.riskSignals == [.backupEligibilityChanged(stored: false, received: true)])
    }

    @Test func attestedDataInAssertion() throws {
        let auth = try KeyBank.authenticator(.es256)
        var a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        a.authenticatorData = auth.authenticatorData(rpId: rpId, flags: [.userPresent], signCount: 5, attested: true)
        a = try resign(a, auth)
        expectCode(.unexpectedAttestedCredentialData) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
    }

    @Test func extensionFlagLies() throws {
        let auth = try KeyBank.authenticator(.es256)
        var a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        a.authenticatorData[32] |= AuthenticatorFlags.extensionData.rawValue  // ED set, nothing follows
        a = try resign(a, auth)
        expectCode(.extensionDataMismatch) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
        var b = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        b.authenticatorData += [0xA0]  // an (empty) extension map without ED
        b = try resign(b, auth)
        expectCode(.extensionDataMismatch) { _ = try verify(b, auth, challenge: challenge, rp: try makeRP()) }
    }

    @Test func extensionOutputsAreReturned() throws {
        let auth = try KeyBank.authenticator(.es256)
        var w = CBORWriter()
        w.beginMap(1)
        w.writeText("credProtect")
        w.writeUnsigned(2)
        var o = SoftCeremonyOptions()
        o.extensions = w.bytes
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge, options: o)
        #expect(try verify(a, auth, challenge: challenge, rp: try makeRP()).extensionOutputs == w.bytes)
        var bad = SoftCeremonyOptions()
        bad.extensions = [0x82, 0x01, 0x02]  // an array, not a map
        let b = try auth.assert(rpId: rpId, origin: origin, challenge: challenge, options: bad)
        expectCode(.malformedAuthenticatorData) { _ = try verify(b, auth, challenge: challenge, rp: try makeRP()) }
    }

    @Test(arguments: [0, 1, 36])
    func truncatedAuthenticatorData(_ length: Int) throws {
        let auth = try KeyBank.authenticator(.es256)
        var a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        a.authenticatorData = Array(a.authenticatorData.prefix(length))
        expectCode(.malformedAuthenticatorData) { _ = try verify(a, auth, challenge: challenge, rp: try makeRP()) }
    }

    // MARK: - sign count

    @Test func signCountRules() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = SoftCeremonyOptions()
        o.signCount = 0
        let zero = try auth.assert(rpId: rpId, origin: origin, challenge: challenge, options: o)
        #expect(try verify(zero, auth, challenge: challenge, rp: try makeRP(), storedCount: 0).signCount == 0)  // synced passkeys
        o.signCount = 10
        let ten = try auth.assert(rpId: rpId, origin: origin, challenge: challenge, options: o)
        #expect(try verify(ten, auth, challenge: challenge, rp: try makeRP(), storedCount: 9).signCount == 10)
        // A replay of an old assertion: the counter has not grown.
        expectCode(.signCountRegression) { _ = try verify(ten, auth, challenge: challenge, rp: try makeRP(), storedCount: 10) }
        expectCode(.signCountRegression) { _ = try verify(zero, auth, challenge: challenge, rp: try makeRP(), storedCount: 3) }
        let reported = try verify(ten, auth, challenge: challenge, rp: try makeRP { $0.signCountRegression = .report }, storedCount: 11)
        #expect(reported.riskSignals == [.signCountRegression(stored: 11, received: 10)])
        #expect(reported.signCount == 10)
    }

    // MARK: - keys and signatures

    @Test func keyOfAnotherCredentialDoesNotVerify() throws {
        let a1 = try KeyBank.authenticator(.es256)
        let a2 = try SoftAuthenticator(algorithm: .es256)
        let verifier = WebAuthnVerifier()
        let assertion = try a1.assert(rpId: rpId, origin: origin, challenge: challenge)
        #expect(try verify(assertion, a1, challenge: challenge, rp: try makeRP(), verifier: verifier).signCount == 1)
        // Same verifier, same scratch, a different key: must not verify key a1's signature.
        expectCode(.badSignature) {
            _ = try verifier.verifyAuthentication(
                authenticatorData: assertion.authenticatorData, clientDataJSON: assertion.clientDataJSON,
                signature: assertion.signature, challenge: challenge,
                credential: StoredCredential(publicKey: a2.cosePublicKey), relyingParty: try makeRP())
        }
    }

    @Test func malformedECDSASignatures() throws {
        let auth = try KeyBank.authenticator(.es256)
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        let order: [UInt8] = Hex.decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")!
        let badSignatures: [[UInt8]] = [
            [],
            [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01],  // r = 0
            [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00],  // s = 0
            [0x30, 0x26, 0x02, 0x21, 0x00] + order + [0x02, 0x01, 0x01],  // r = n
            a.signature + [0x00],  // trailing byte
            Array(a.signature.dropLast()),  // truncated
            [0x31] + a.signature.dropFirst(),  // wrong outer tag
            [UInt8](repeating: 0x30, count: 4096),  // oversized
        ]
        for sig in badSignatures {
            var b = a
            b.signature = sig
            expectCode(.malformedSignature) { _ = try verify(b, auth, challenge: challenge, rp: try makeRP()) }
        }
    }

    @Test func malformedCredentialKeys() throws {
        let auth = try KeyBank.authenticator(.es256)
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        func check(_ key: [UInt8], _ code: WebAuthnError.Code) {
            expectCode(code) {
                _ = try WebAuthnVerifier().verifyAuthentication(
                    authenticatorData: a.authenticatorData, clientDataJSON: a.clientDataJSON, signature: a.signature,
                    challenge: challenge, credential: StoredCredential(publicKey: key), relyingParty: try makeRP())
            }
        }
        func ec2(kty: Int64 = 2, alg: Int64 = -7, crv: Int64 = 1, x: [UInt8], y: [UInt8]) -> [UInt8] {
            var w = CBORWriter()
            w.beginMap(5)
            w.writeInt(1); w.writeInt(kty)
            w.writeInt(3); w.writeInt(alg)
            w.writeInt(-1); w.writeInt(crv)
            w.writeInt(-2); w.writeBytes(x)
            w.writeInt(-3); w.writeBytes(y)
            return w.bytes
        }
        guard case let .ec(_, x, y) = auth.privateKey.publicComponents else { Issue.record("not EC"); return }
        check([0xA0], .malformedPublicKey)  // empty map
        check([0x01], .malformedPublicKey)  // not a map
        check(ec2(alg: -7, crv: 2, x: x, y: y), .algorithmMismatch)  // ES256 on P-384
        check(ec2(alg: -8, crv: 1, x: x, y: y), .algorithmMismatch)  // EdDSA with an EC2 key
        check(ec2(alg: -999, x: x, y: y), .unsupportedAlgorithm)
        check(ec2(x: x, y: y.map { $0 ^ 0x01 }), .invalidPublicKey)  // off the curve
        check(ec2(x: [UInt8](repeating: 0, count: 32), y: [UInt8](repeating: 0, count: 32)), .invalidPublicKey)  // infinity
        check(ec2(x: Array(x.dropFirst()), y: y), .invalidPublicKey)  // short coordinate
        check(ec2(x: x, y: y) + [0x00], .malformedPublicKey)  // trailing bytes
    }

    @Test func keyCacheServesRepeatedKeys() throws {
        let cache = KeyCache(capacity: 4)
        let verifier = WebAuthnVerifier(keyCache: cache)
        let auth = try KeyBank.authenticator(.es256)
        for _ in 0..<5 {
            let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
            _ = try verify(a, auth, challenge: challenge, rp: try makeRP(), verifier: verifier)
        }
        let s = cache.statistics
        #expect(s.misses == 1)
        #expect(s.hits == 4)
        // More distinct keys than capacity: evictions happen and every verification still succeeds.
        for _ in 0..<10 {
            let other = try SoftAuthenticator(algorithm: .es256)
            let a = try other.assert(rpId: rpId, origin: origin, challenge: challenge)
            _ = try verify(a, other, challenge: challenge, rp: try makeRP(), verifier: verifier)
        }
        #expect(cache.statistics.count <= 4 + 16)
        #expect(cache.statistics.evictions > 0)
    }

    // MARK: - response JSON

    @Test func responseJSONIdMustMatchRawId() throws {
        let auth = try KeyBank.authenticator(.es256)
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        let id = Base64URL.encode(a.credentialID)
        let tampered = String(decoding: a.json, as: UTF8.self).replacingOccurrences("\"id\":\"\(id)\"", "\"id\":\"AAAA\"")
        expectCode(.credentialIdMismatch) {
            _ = try WebAuthnVerifier().verifyAuthentication(
                responseJSON: Array(tampered.utf8), challenge: challenge,
                credential: StoredCredential(publicKey: auth.cosePublicKey), relyingParty: try makeRP())
        }
        // A stored credential id that differs from the response's.
        expectCode(.credentialIdMismatch) {
            _ = try WebAuthnVerifier().verifyAuthentication(
                responseJSON: a.json, challenge: challenge,
                credential: StoredCredential(id: [1, 2, 3], publicKey: auth.cosePublicKey), relyingParty: try makeRP())
        }
        let badBase64 = String(decoding: a.json, as: UTF8.self).replacingOccurrences("\"signature\":\"", "\"signature\":\"*")
        expectCode(.invalidBase64URL) {
            _ = try WebAuthnVerifier().verifyAuthentication(
                responseJSON: Array(badBase64.utf8), challenge: challenge,
                credential: StoredCredential(publicKey: auth.cosePublicKey), relyingParty: try makeRP())
        }
        expectCode(.malformedJSON) {
            _ = try WebAuthnVerifier().verifyAuthentication(
                responseJSON: Array("{".utf8), challenge: challenge,
                credential: StoredCredential(publicKey: auth.cosePublicKey), relyingParty: try makeRP())
        }
    }

    /// The JSON entry point decodes into a reused verifier's scratch; it must accept and refuse exactly what decoding
    /// through `CredentialResponseJSON` (owned arrays) does, across texts of growing and shrinking size.
    @Test func responseJSONOnAReusedVerifierAgreesWithCredentialResponseJSON() throws {
        let auth = try KeyBank.authenticator(.es256)
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        let rp = try makeRP()
        let stored = StoredCredential(publicKey: auth.cosePublicKey)
        let text = String(decoding: a.json, as: UTF8.self)
        let signature = Base64URL.encode(a.signature)
        let clientData = Base64URL.encode(a.clientDataJSON)
        func appending(_ member: String) -> String { String(text.dropLast()) + "," + member + "}" }
        func inResponse(_ member: String) -> String {
            text.replacingOccurrences("\"response\":{", "\"response\":{" + member + ",")
        }
        let padded = signature + String(repeating: "=", count: (4 - signature.utf8.count % 4) % 4)
        let escaped = "\\u00" + String(clientData.utf8.first!, radix: 16) + String(clientData.dropFirst())
        let cases: [String] = [
            text,
            appending("\"big\":\"" + String(repeating: "x", count: 70_000) + "\""),  // beyond the kept scratch
            text.replacingOccurrences("\"signature\":\"\(signature)\"", "\"signature\":\"\(padded)\""),
            text.replacingOccurrences("\"clientDataJSON\":\"\(clientData)\"", "\"clientDataJSON\":\"\(escaped)\""),
            text.replacingOccurrences("\"type\":\"public-key\"", "\"type\":\"other\""),
            text.replacingOccurrences("\"rawId\"", "\"rawID\""),
            text.replacingOccurrences("\"response\"", "\"Response\""),
            inResponse("\"transports\":[\"usb\",\"nfc\"]"),
            inResponse("\"transports\":[\"usb\",1]"),
            inResponse("\"transports\":\"usb\""),
            inResponse("\"userHandle\":\"*\""),
            inResponse("\"userHandle\":null"),
            inResponse("\"attestationObject\":\"oA\""),
            inResponse("\"attestationObject\":7"),
            text.replacingOccurrences("\"authenticatorData\"", "\"authData\""),
            "[]",
            text,
        ]
        let reused = WebAuthnVerifier()
        for (i, c) in cases.enumerated() {
            let json = Array(c.utf8)
            let viaScratch = Result { () throws(WebAuthnError) -> UInt32 in
                try reused.verifyAuthentication(responseJSON: json, challenge: challenge, credential: stored, relyingParty: rp)
                    .signCount
            }
            let viaArrays = Result { () throws(WebAuthnError) -> UInt32 in
                var reader = JSONReader()
                let r = try json.withBytes { (j) throws(WebAuthnError) in try CredentialResponseJSON(json: j, reader: &reader) }
                guard let ad = r.authenticatorData, let sig = r.signature else {
                    throw WebAuthnError(.malformedRequest, "no authenticatorData or signature")
                }
                return try WebAuthnVerifier().verifyAuthentication(
                    credentialID: r.credentialID, authenticatorData: ad, clientDataJSON: r.clientDataJSON, signature: sig,
                    challenge: challenge, credential: stored, relyingParty: rp
                ).signCount
            }
            #expect(viaScratch == viaArrays, "case \(i)")
            if i < 4 || i == 7 || i == 11 || i == 12 || i == cases.count - 1 {
                #expect((try? viaScratch.get()) == 1, "case \(i) should verify")
            } else {
                #expect((try? viaScratch.get()) == nil, "case \(i) should fail")
            }
        }
    }

    @Test func unknownMembersAreIgnored() throws {
        let auth = try KeyBank.authenticator(.es256)
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        var text = String(decoding: a.json, as: UTF8.self)
        text.removeLast()
        text += ",\"somethingNew\":{\"x\":[1,2,{\"y\":null}]}}"
        #expect(
            try WebAuthnVerifier().verifyAuthentication(
                responseJSON: Array(text.utf8), challenge: challenge,
                credential: StoredCredential(publicKey: auth.cosePublicKey), relyingParty: try makeRP()
            ).signCount == 1)
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
