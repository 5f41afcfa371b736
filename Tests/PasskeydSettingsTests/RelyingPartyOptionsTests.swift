import Foundation
import PasskeyWebAuthn
@testable import PasskeydSettings
import Testing

/// A configured relying party's `options` and `app_id`: what its generated options offer, read from the config
/// file with the same strictness as every other member.
@Suite struct RelyingPartyOptionsTests {
    static func party(_ members: String) throws -> (RelyingParty?, [SettingProblem]) {
        let config = try TemporaryConfig(
            "{\"relying_parties\": {\"main\": {\"rp_id\": \"example.com\", \"origins\": [\"https://example.com\"], \(members)}}}")
        defer { config.remove() }
        let (s, p) = ServeSettings.read(arguments: ["--config", config.path], environment: [:])
        return (s.relyingParties["main"], p)
    }

    @Test func optionsAndAppIDFromTheFile() throws {
        let (rp, problems) = try Self.party(
            #""app_id": "https://example.com/appid.json", "options": {"rp_name": "Example", "timeout_ms": 60000, "#
                + #""challenge_grace_ms": 0, "resident_key": "required", "user_verification": "discouraged", "#
                + #""authenticator_attachment": "platform", "attestation": "direct", "attestation_formats": ["packed"], "#
                + #""hints": ["client-device"], "algorithms": [-49, -7], "cred_props": false}"#)
        #expect(problems.isEmpty, "\(problems)")
        let o = try #require(rp).policy.options
        #expect(o.rpName == "Example" && o.timeoutMs == 60_000 && o.challengeGraceMs == 0 && o.challengeLifetimeMs == 60_000)
        #expect(o.residentKey == .required && o.userVerification == .discouraged && o.authenticatorAttachment == .platform)
        #expect(o.attestation == .direct && o.attestationFormats == ["packed"] && o.hints == [.clientDevice])
        #expect(o.algorithms == [.mldsa65, .es256] && !o.requestCredProps)
        #expect(try #require(rp).policy.appID == "https://example.com/appid.json")
        // Absent: the safe defaults.
        let (plain, none) = try Self.party(#""require_user_verification": false"#)
        #expect(none.isEmpty && plain?.policy.options == OptionsPolicy() && plain?.policy.appID == nil)
    }

    @Test func anUnusableOptionsMemberStopsTheDaemon() throws {
        for bad in [
            #""options": {"timeout": 5}"#, #""options": {"timeout_ms": 10}"#, #""options": {"resident_key": "maybe"}"#,
            #""options": {"algorithms": [-48]}"#, #""options": {"algorithms": []}"#, #""options": {"hints": ["phone"]}"#,
            #""options": []"#, #""app_id": "http://example.com""#,
        ] {
            let (_, problems) = try Self.party(bad)
            #expect(problems.map(\.code) == [.invalidRelyingParty], "\(bad)")
        }
    }
}
