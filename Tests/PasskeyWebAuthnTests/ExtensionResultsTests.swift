import PasskeyCBOR
import PasskeyCOSE
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Synchronization
import Testing

/// Extension outputs in verdicts (credProps, credProtect, largeBlob, prf), the appid extension's rpIdHash rule, and
/// the stored counter that makes the gateway's counter update a compare-and-swap.
@Suite struct ExtensionResultsTests {
    let challenge = SoftRandom.bytes(32)
    static let appID = "https://example.com/u2f-appid.json"

    func credProtect(_ level: UInt64) -> [UInt8] {
        var w = CBORWriter()
        w.beginMap(1)
        w.writeText("credProtect")
        w.writeUnsigned(level)
        return w.bytes
    }

    func register(_ results: String, extensions: [UInt8]? = nil, rp: RelyingParty? = nil) throws -> VerifiedRegistration {
        let auth = try KeyBank.authenticator(.es256)
        var o = SoftCeremonyOptions()
        o.extensions = extensions
        var reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, options: o)
        reg.clientExtensionResultsJSON = results
        return try WebAuthnVerifier().verifyRegistration(responseJSON: reg.json, challenge: challenge, relyingParty: rp ?? makeRP())
    }

    @Test func registrationReportsWhatTheClientAndAuthenticatorSaid() throws {
        let r = try register(
            #"{"credProps":{"rk":true},"largeBlob":{"supported":false},"prf":{"enabled":true},"somethingNew":{"x":[1,{"y":null}]}}"#,
            extensions: credProtect(2))
        #expect(r.extensionResults.credPropsRK == true)
        #expect(r.extensionResults.largeBlobSupported == false)
        #expect(r.extensionResults.prfEnabled == true)
        #expect(r.extensionResults.credProtect == 2)
        #expect(!r.extensionResults.appidUsed)
        // appid is an authentication extension: a registration never reports it, and still expects the RP ID.
        #expect(try register(#"{"appid":true}"#).extensionResults.appidUsed == false)
        // Nothing reported: every member absent.
        let plain = try register("{}")
        #expect(plain.extensionResults == .none)
        #expect(plain.extensionResults.credPropsRK == nil && plain.extensionResults.credProtect == nil)
    }

    @Test func reportedMembersMustHaveTheirTypes() throws {
        for bad in [
            #"[]"#, #"{"credProps":true}"#, #"{"credProps":{"rk":"yes"}}"#, #"{"largeBlob":{"supported":1}}"#,
            #"{"prf":{"enabled":null}}"#, #"{"appid":"true"}"#,
        ] {
            expectCode(.malformedRequest) { _ = try register(bad) }
        }
        for level: UInt64 in [0, 4] {
            expectCode(.malformedAuthenticatorData) { _ = try register("{}", extensions: credProtect(level)) }
        }
    }

    func login(
        signedFor signedRP: String, results: String, rp: RelyingParty, auth: SoftAuthenticator, stored: UInt32 = 0
    ) throws -> VerifiedAuthentication {
        var a = try auth.assert(rpId: signedRP, origin: origin, challenge: challenge)
        a.clientExtensionResultsJSON = results
        return try WebAuthnVerifier().verifyAuthentication(
            responseJSON: a.json, challenge: challenge, credential: StoredCredential(publicKey: auth.cosePublicKey, signCount: stored),
            relyingParty: rp)
    }

    /// §10.1.1: `appid: true` means the authenticator signed for the AppID, and rpIdHash must be its hash.
    @Test func appidMovesTheRPIDHashCheckToTheAppID() throws {
        let auth = try KeyBank.authenticator(.es256)
        let migrating = try makeRP { $0.appID = Self.appID }
        let ok = try login(signedFor: Self.appID, results: #"{"appid":true}"#, rp: migrating, auth: auth)
        #expect(ok.extensionResults.appidUsed)
        // The client says appid, but the authenticator signed for the RP ID (or another AppID).
        let wrong = expectCode(.rpIdMismatch) {
            _ = try login(signedFor: rpId, results: #"{"appid":true}"#, rp: migrating, auth: auth)
        }
        #expect(wrong?.message.contains("AppID") == true)
        // The client does not say appid: the RP ID is expected, whatever the policy's AppID.
        let plain = expectCode(.rpIdMismatch) {
            _ = try login(signedFor: Self.appID, results: #"{"appid":false}"#, rp: migrating, auth: auth)
        }
        #expect(plain?.message.contains("RP ID") == true)
        #expect(try login(signedFor: rpId, results: #"{"appid":false}"#, rp: migrating, auth: auth).extensionResults.appidUsed == false)
        // No AppID configured: appid can never be honoured.
        let none = expectCode(.rpIdMismatch) {
            _ = try login(signedFor: Self.appID, results: #"{"appid":true}"#, rp: try makeRP(), auth: auth)
        }
        #expect(none?.message.contains("no AppID") == true)
        // Raw fields say what the client reported through the view.
        var a = try auth.assert(rpId: Self.appID, origin: origin, challenge: challenge)
        a.clientExtensionResultsJSON = "{}"
        let viaFields = try a.authenticatorData.withUnsafeBytes { ad in
            try a.clientDataJSON.withUnsafeBytes { cd in
                try a.signature.withUnsafeBytes { sig in
                    try challenge.withUnsafeBytes { ch in
                        try auth.cosePublicKey.withUnsafeBytes { pk in
                            try WebAuthnVerifier().verifyAuthentication(
                                AssertionView(
                                    authenticatorData: ad, clientDataJSON: cd, signature: sig,
                                    clientExtensions: ClientExtensionResults(appid: true)),
                                challenge: ch, publicKey: pk, storedSignCount: 0, relyingParty: migrating)
                        }
                    }
                }
            }
        }
        #expect(viaFields.extensionResults.appidUsed)
    }

    @Test func authenticationReportsLargeBlobWritten() throws {
        let auth = try KeyBank.authenticator(.es256)
        let r = try login(signedFor: rpId, results: #"{"largeBlob":{"written":true},"prf":{"results":{"first":"AAAA"}}}"#, rp: makeRP(), auth: auth)
        #expect(r.extensionResults.largeBlobWritten == true && r.extensionResults.prfEnabled == nil)
    }

    /// Two logins with the same credential race: both verify against the stored counter they read, and the verdicts
    /// carry it, so the gateway's `UPDATE ... SET sign_count = :new WHERE id = :id AND sign_count = :stored` lets
    /// exactly one of them move the counter. The loser, verified again against the counter now stored, passes only if
    /// its own counter is still ahead, which is what running them one after the other would have decided.
    @Test func racingLoginsLetExactlyOneCounterUpdateWin() async throws {
        let auth = try KeyBank.authenticator(.es256)
        let rp = try makeRP()
        let stored: UInt32 = 41
        // What the gateway read before both logins: the row (id, sign_count).
        let row = Mutex<UInt32>(stored)
        func compareAndSwap(expected: UInt32, new: UInt32) -> Bool {
            row.withLock { count in
                guard count == expected else { return false }
                count = new
                return true
            }
        }
        let key = auth.cosePublicKey, challenge = self.challenge
        let assertions = try [42, 43].map { (n: UInt32) -> SoftAssertion in
            var o = SoftCeremonyOptions()
            o.signCount = n
            return try auth.assert(rpId: rpId, origin: origin, challenge: challenge, options: o)
        }
        let verdicts = try await withThrowingTaskGroup(of: VerifiedAuthentication.self) { group in
            for a in assertions {
                group.addTask {
                    try WebAuthnVerifier().verifyAuthentication(
                        responseJSON: a.json, challenge: challenge, credential: StoredCredential(publicKey: key, signCount: stored),
                        relyingParty: rp)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(verdicts.count == 2 && verdicts.allSatisfy { $0.storedSignCount == stored })
        #expect(Set(verdicts.map(\.signCount)) == [42, 43])
        let won = verdicts.map { compareAndSwap(expected: $0.storedSignCount, new: $0.signCount) }
        #expect(won.filter { $0 }.count == 1)
        let winner = verdicts[won.firstIndex(of: true)!], loser = verdicts[won.firstIndex(of: false)!]
        #expect(row.withLock { $0 } == winner.signCount)
        // The loser's retry against what is stored now: accepted only when its counter is still ahead.
        let retry = Result {
            try WebAuthnVerifier().verifyAuthentication(
                responseJSON: assertions.first { $0.authenticatorData[36] == UInt8(loser.signCount) }!.json, challenge: challenge,
                credential: StoredCredential(publicKey: key, signCount: winner.signCount), relyingParty: rp)
        }
        if loser.signCount > winner.signCount {
            #expect(try compareAndSwap(expected: retry.get().storedSignCount, new: retry.get().signCount))
        } else {
            #expect(throws: WebAuthnError(.signCountRegression, "")) { try retry.get() }
        }
    }
}
