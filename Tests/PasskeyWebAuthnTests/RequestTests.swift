import PasskeyJSON
import PasskeyCOSE
import PasskeyRequests
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

@Suite struct RequestTests {
    let challenge = SoftRandom.bytes(32)

    func request(_ members: [String: String]) -> [UInt8] {
        Array(("{" + members.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}").utf8)
    }

    @Test func registrationThenAuthenticationThroughRequests() throws {
        let auth = try KeyBank.authenticator(.es256)
        let ca = SharedCA.ca
        var leaf = TestCA.LeafOptions()
        leaf.aaguid = auth.aaguid
        let identity = try ca.issueAttestation(options: leaf)
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .packed(identity))
        let regRequest = request([
            "kind": "\"registration\"", "rp_id": "\"\(rpId)\"", "origins": "[\"\(origin)\"]",
            "challenge_b64url": "\"\(Base64URL.encode(challenge))\"", "response": String(decoding: reg.json, as: UTF8.self),
            "trust_anchors_pem": "[\(JSONWriter.quoted(ca.root.pemString))]", "verify_at_unix": "1700000000",
        ])
        let verdict = Verdict.evaluate(try VerificationRequest(json: regRequest), verifier: WebAuthnVerifier())
        #expect(verdict.accepted)
        let json = verdict.json
        #expect(json.contains("\"ok\":true"))
        #expect(json.contains("\"fmt\":\"packed\""))
        #expect(json.contains("\"attestation_type\":\"basic\""))
        #expect(json.contains("\"attestation_trusted\":true"))
        #expect(json.contains("\"alg\":-7"))
        guard case let .registration(r) = verdict else { Issue.record("not a registration"); return }
        #expect(json.contains("\"aaguid\":\"\(r.aaguidString)\""))
        #expect(r.aaguidString.count == 36 && r.aaguidString == r.aaguidString.lowercased())

        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        let authRequest = request([
            "kind": "\"authentication\"", "rp_id": "\"\(rpId)\"", "origins": "[\"\(origin)\"]",
            "challenge_b64url": "\"\(Base64URL.encode(challenge))\"", "response": String(decoding: a.json, as: UTF8.self),
            "credential_public_key_b64url": "\"\(Base64URL.encode(r.credentialPublicKey))\"", "stored_sign_count": "0",
            "allowed_algorithms": "[-7, -257, -8]", "require_user_verification": "true",
        ])
        let v2 = Verdict.evaluate(try VerificationRequest(json: authRequest), verifier: WebAuthnVerifier())
        #expect(v2.accepted)
        #expect(v2.json.contains("\"sign_count\":1"))

        // A rejected one carries the code and a message.
        let replay = request([
            "kind": "\"authentication\"", "rp_id": "\"\(rpId)\"", "origins": "[\"\(origin)\"]",
            "challenge_b64url": "\"\(Base64URL.encode(challenge))\"", "response": String(decoding: a.json, as: UTF8.self),
            "credential_public_key_b64url": "\"\(Base64URL.encode(r.credentialPublicKey))\"", "stored_sign_count": "1",
        ])
        let v3 = Verdict.evaluate(try VerificationRequest(json: replay), verifier: WebAuthnVerifier())
        #expect(!v3.accepted)
        #expect(v3.json.contains("\"code\":\"sign_count_regression\""))
    }

    @Test func unusableRequests() {
        let bad: [String] = [
            "{", "[]", "{\"kind\":\"registration\"}", "{\"kind\":\"other\"}",
            "{\"kind\":\"authentication\",\"rp_id\":\"a\",\"origins\":[\"https://a\"],\"challenge_b64url\":\"AA\",\"response\":{}}",
            "{\"kind\":\"registration\",\"rp_id\":\"a\",\"origins\":[\"https://a\"],\"challenge_b64url\":\"A\",\"response\":{}}",
            "{\"kind\":\"registration\",\"rp_id\":\"a\",\"origins\":[\"https://a\"],\"challenge_b64url\":\"AA\",\"response\":{},\"typo\":1}",
            "{\"kind\":\"registration\",\"rp_id\":\"a\",\"origins\":[\"https://a\"],\"challenge_b64url\":\"AA\",\"response\":{},\"allowed_algorithms\":[1]}",
            "{\"kind\":\"registration\",\"rp_id\":\"a\",\"origins\":[],\"challenge_b64url\":\"AA\",\"response\":{}}",
            "{\"kind\":\"registration\",\"rp_id\":\"a\",\"origins\":[\"https://a\"],\"challenge_b64url\":\"AA\",\"response\":{},\"trust_anchors_pem\":[\"nope\"]}",
        ]
        for s in bad {
            #expect(throws: RequestError.self, "\(s)") { _ = try VerificationRequest(json: Array(s.utf8)) }
        }
    }
}
