import Foundation
import PasskeyClient
import PasskeyCOSE
import PasskeyJSON
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// The whole ceremony through the real daemon, the test keeping nothing but the credential record: registration
/// options → the soft authenticator creates → verify → usernameless authentication options → get → verify.
/// Verification presents only the context the challenge was issued for (`issued_challenge`): the daemon checks its own
/// token and its single use, so a replayed login is refused.
@Suite(.serialized) struct DaemonCeremonyTests {
    /// The string value of `name` in a JSON object text (top level or one level down), read with the strict reader.
    static func member(_ json: String, _ path: [StaticString]) throws -> String? {
        let bytes = Array(json.utf8)
        return try bytes.withUnsafeBytes { b in
            var r = JSONReader()
            var v = try r.parse(b)
            for name in path {
                guard let next = r.member(v, name) else { return nil }
                v = next
            }
            return r.string(v)
        }
    }

    @Test func optionsCreateVerifyGetVerify() async throws {
        let socket = NSTemporaryDirectory() + "pkd-ceremony-\(UUID().uuidString.prefix(8)).sock"
        let daemon = try DaemonClientTests.Daemon(socket: socket)
        defer { daemon.terminate() }
        let client = PasskeydClient(endpoint: .unixDomainSocket(path: socket), connections: 1)
        var policy = RelyingPartyPolicy(rpID: "example.com", origins: ["https://example.com"])
        var o = PasskeydOptionsPolicy()
        o.rpName = "Example"
        o.residentKey = "required"
        policy.options = o
        let auth = try SoftAuthenticator(algorithm: .es256)
        let userHandle = SoftRandom.bytes(16)

        // 1. Registration options, as the browser gets them, bound to the gateway's session.
        let session = Array("session-7f3a".utf8)
        var regRequest = GenerateRegistrationOptionsRequest(policy: policy, userID: userHandle, userName: "dana", userDisplayName: "Dana")
        regRequest.context = session
        let regOptions = try await client.generateRegistrationOptions(regRequest)
        #expect(regOptions.isGenerated, "\(regOptions.errorMessage)")
        let challengeText = try #require(try Self.member(regOptions.optionsJSON, ["challenge"]))
        let regChallenge = try #require(Base64URL.decode(challengeText))
        #expect(regChallenge == regOptions.challenge && regChallenge.count == 66)
        #expect(try Self.member(regOptions.optionsJSON, ["user", "id"]) == Base64URL.encode(userHandle))
        #expect(try Self.member(regOptions.optionsJSON, ["authenticatorSelection", "residentKey"]) == "required")

        // 2. The authenticator creates the credential for those options; 3. the daemon verifies it.
        let rpID = try #require(try Self.member(regOptions.optionsJSON, ["rp", "id"]))
        var created = try auth.register(rpId: rpID, origin: "https://example.com", challenge: regChallenge)
        created.clientExtensionResultsJSON = #"{"credProps":{"rk":true}}"#
        let registered = try await client.verifyRegistration(
            RegistrationRequest(
                policy: policy, challenge: [], credential: .json(String(decoding: created.json, as: UTF8.self)),
                issuedChallengeContext: session))
        #expect(registered.isVerified, "\(registered.errorMessage)")
        #expect(registered.extensionResults.credPropsRK == true)
        // The credential record: all the gateway keeps.
        var record = (id: registered.credentialID, key: registered.credentialPublicKey, count: registered.signCount, user: userHandle)

        // 4. Usernameless authentication options; 5. the authenticator answers with its user handle.
        var loginRequest = GenerateAuthenticationOptionsRequest(policy: policy)
        loginRequest.context = session
        let loginOptions = try await client.generateAuthenticationOptions(loginRequest)
        #expect(loginOptions.isGenerated && loginOptions.optionsJSON.contains("\"allowCredentials\":[]"))
        var get = SoftCeremonyOptions()
        get.userHandle = userHandle
        let asserted = try auth.assert(rpId: "example.com", origin: "https://example.com", challenge: loginOptions.challenge, options: get)

        // 6. Verify against the record found by the response's credential id.
        var request = AuthenticationRequest(
            policy: policy, challenge: [], credentialPublicKey: record.key, storedSignCount: record.count,
            storedCredentialID: record.id, credential: .json(String(decoding: asserted.json, as: UTF8.self)),
            issuedChallengeContext: session)
        request.storedUserHandle = record.user
        let verified = try await client.verifyAuthentication(request)
        #expect(verified.isVerified, "\(verified.errorMessage)")
        #expect(verified.storedSignCount == record.count && verified.signCount > record.count)
        record.count = verified.signCount

        // The same response again, against the record as it was (a second replica that has not seen the counter move
        // yet): only the challenge's single use refuses it.
        #expect(try await client.verifyAuthentication(request).errorCode == "CHALLENGE_REUSED")
        // Another session's context does not match the token.
        var otherSession = request
        otherSession.issuedChallengeContext = Array("session-other".utf8)
        #expect(try await client.verifyAuthentication(otherSession).errorCode == "CHALLENGE_REBOUND")

        // A login without the user handle is refused: the token says the login was usernameless, which needs it.
        let fresh = try await client.generateAuthenticationOptions(loginRequest)
        var anonymous = request
        anonymous.credential = .json(
            String(decoding: try auth.assert(rpId: "example.com", origin: "https://example.com", challenge: fresh.challenge).json, as: UTF8.self))
        anonymous.storedSignCount = record.count
        #expect(try await client.verifyAuthentication(anonymous).errorCode == "USER_HANDLE_MISSING")
        await client.close()
    }
}
