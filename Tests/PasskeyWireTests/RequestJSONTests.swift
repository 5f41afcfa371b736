import PasskeyJSON
import PasskeyProtocol
import PasskeyRequests
import PasskeySoftAuthenticator
import PasskeyWire
import Testing

/// The request JSON of `passkeyd verify` / `passkeyctl verify`: one reader into the wire's request, run by the
/// server's executor in process (as `passkeyd verify` does), one printer and one exit rule for both tools.
@Suite struct RequestJSONTests {
    let challenge = SoftRandom.bytes(32)
    let rp = "\"rp_id\":\"\(Requests.rpID)\",\"origins\":[\"\(Requests.origin)\"]"

    func verdict(_ json: String) throws -> (json: String, status: Int32) {
        let request = try VerifyRequestJSON.parse(Array(json.utf8))
        return VerdictJSON.verdict(Requests.executor().run(request.wire))
    }

    @Test func registrationThenAuthentication() throws {
        let ca = try TestCA(name: "request JSON root")
        let auth = try SoftAuthenticator(algorithm: .es256)
        var leaf = TestCA.LeafOptions()
        leaf.aaguid = auth.aaguid
        let reg = try auth.register(
            rpId: Requests.rpID, origin: Requests.origin, challenge: challenge,
            attestation: .packed(try ca.issueAttestation(options: leaf)))
        let registered = try verdict(
            "{\"kind\":\"registration\",\(rp),\"challenge_b64url\":\"\(Base64URL.encode(challenge))\","
                + "\"response\":\(String(decoding: reg.json, as: UTF8.self)),"
                + "\"trust_anchors_pem\":[\(JSONWriter.quoted(ca.root.pemString))],\"verify_at_unix\":1700000000}")
        #expect(registered.status == 0, "\(registered.json)")
        for member in [
            "\"ok\":true", "\"fmt\":\"packed\"", "\"attestation_type\":\"basic\"", "\"attestation_trusted\":true",
            "\"attestation_trust_source\":\"anchors\"", "\"alg\":-7", "\"aaguid\":\"\(UUIDText.format(auth.aaguid))\"",
            "\"credential_id_b64url\":\"\(Base64URL.encode(auth.credentialID))\"",
        ] {
            #expect(registered.json.contains(member), "\(member) in \(registered.json)")
        }

        let a = try auth.assert(rpId: Requests.rpID, origin: Requests.origin, challenge: challenge)
        let login = "{\"kind\":\"authentication\",\(rp),\"challenge_b64url\":\"\(Base64URL.encode(challenge))\","
            + "\"response\":\(String(decoding: a.json, as: UTF8.self)),"
            + "\"credential_public_key_b64url\":\"\(Base64URL.encode(auth.cosePublicKey))\""
        let accepted = try verdict(login + ",\"stored_sign_count\":0,\"allowed_algorithms\":[-7,-257,-8]}")
        #expect(accepted.status == 0 && accepted.json.contains("\"sign_count\":1"), "\(accepted.json)")
        // A rejected ceremony: its code's JSON name and a message, exit 1.
        let replayed = try verdict(login + ",\"stored_sign_count\":1}")
        #expect(replayed.status == 1)
        #expect(replayed.json.contains("{\"ok\":false,\"error\":{\"code\":\"sign_count_regression\",\"message\":"))
    }

    /// Unusable requests exit 2 whichever layer finds the problem: the reader (`RequestError`) or the executor
    /// building the policy (`malformed_request`), so both tools agree on every one.
    @Test func unusableRequestsExitTwo() throws {
        let base = "\"kind\":\"registration\",\"challenge_b64url\":\"AA\",\"response\":{}"
        let refusedByTheReader = [
            "{", "[]", "{\"kind\":\"registration\"}", "{\"kind\":\"other\",\(rp)}",
            "{\"kind\":\"authentication\",\(rp),\"challenge_b64url\":\"AA\",\"response\":{}}",
            "{\(base),\(rp),\"challenge_b64url\":\"A\"}", "{\(base),\(rp),\"typo\":1}",
            "{\(base),\(rp),\"trust_anchors_pem\":[\"nope\"]}", "{\(base),\(rp),\"stored_sign_count\":-1}",
            "{\(base),\(rp),\"minimum_rsa_bits\":4294967296}", "{\(base),\(rp),\"options\":{\"timeout_ms\":-5}}",
            "{\(base),\(rp),\"attestation_roots\":{}}",
        ]
        for s in refusedByTheReader {
            #expect(throws: RequestError.self, "\(s)") { _ = try VerifyRequestJSON.parse(Array(s.utf8)) }
        }
        let refusedByThePolicy = [
            "{\(base),\"rp_id\":\"example.com\",\"origins\":[]}", "{\(base),\(rp),\"allowed_algorithms\":[1]}",
            "{\(base),\(rp),\"options\":{\"resident_key\":\"always\"}}",
        ]
        for s in refusedByThePolicy {
            let v = try verdict(s)
            #expect(v.status == 2 && v.json.contains("\"code\":\"malformed_request\""), "\(s): \(v.json)")
        }
    }

    /// An empty `allowed_aaguids` admits no authenticator; the wire has no way to say "an empty list", so the
    /// reader must refuse it rather than send no list (which admits every authenticator).
    @Test func anEmptyAAGUIDListIsRefusedNotDropped() throws {
        let s = "{\"kind\":\"registration\",\(rp),\"challenge_b64url\":\"AA\",\"response\":{},\"allowed_aaguids\":[]}"
        #expect(throws: RequestError.self) { _ = try VerifyRequestJSON.parse(Array(s.utf8)) }
    }

    /// `passkeyd verify` reads `attestation_roots` itself (no wire field); passkeyctl refuses it as unknown.
    @Test func extraMembersAreTheCallersOnly() throws {
        let s = "{\"kind\":\"registration\",\(rp),\"challenge_b64url\":\"AA\",\"response\":{},\"attestation_roots\":{}}"
        var seen = false
        _ = try VerifyRequestJSON.parse(Array(s.utf8), extraMembers: ["attestation_roots"]) { f in
            seen = f.value("attestation_roots") != nil
        }
        #expect(seen)
    }

    @Test func everyCodeIsPrintedByItsName() {
        for code in PasskeydErrorCode.allKnown where code != .errorCodeNone {
            let json = VerdictJSON.authentication(AuthenticationResult(errorCode: code, errorMessage: "m"))
            #expect(json == "{\"ok\":false,\"error\":{\"code\":\"\(code.name)\",\"message\":\"m\"}}")
        }
        #expect(VerdictJSON.exitStatus(nil) == 0 && VerdictJSON.exitStatus(.badSignature) == 1)
        #expect(VerdictJSON.exitStatus(.malformedRequest) == 2 && VerdictJSON.exitStatus(.unknownRelyingParty) == 2)
    }
}
