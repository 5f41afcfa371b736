import PasskeyWebAuthn
import Testing

/// The challenge keys file (`challenge_keys_file`): what a good file gives, and that each kind of bad file is refused
/// with a message that names the problem and never quotes a secret.
@Suite struct ChallengeKeysFileTests {
    /// 32 bytes of 0xA1 and 40 bytes of 0xB2, standard base64.
    static let secretA = "oaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaE="
    static let secretB = "srKysrKysrKysrKysrKysrKysrKysrKysrKysrKysrKysrKysg=="

    static func ring(_ text: String) throws(WebAuthnError) -> ChallengeKeyRing {
        try ChallengeKeyRing(keysFile: Array(text.utf8))
    }

    @Test func aFileWithTwoKeysMintsWithTheNamedOne() throws {
        let ring = try Self.ring(#"{"mint": "2026-06", "keys": {"2026-05": "\#(Self.secretA)", "2026-06": "\#(Self.secretB)"}}"#)
        #expect(ring.minting.name == "2026-06" && ring.names == ["2026-05", "2026-06"])
        let issued = try ring.mint(
            ChallengeBinding(ceremony: .authentication, rpID: "example.com", context: Array("s".utf8)), lifetimeMs: 60_000, nowMs: 1_000)
        #expect(issued.keyName == "2026-06" && issued.expiresAtMs == 61_000)
    }

    @Test(arguments: [
        (#"{"mint": "a", "keys": {"a": "c2hvcnQ="}}"#, "at least 32 are needed"),
        (#"{"mint": "a", "keys": {"a": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="}}"#, "31 bytes"),
        (#"{"mint": "a", "keys": {"a": "oaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaE"}}"#, "not standard base64"),
        (#"{"mint": "a", "keys": {"a": "oaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoa-="}}"#, "not standard base64"),
        (#"{"mint": "b", "keys": {"a": "oaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaE="}}"#, "not among"),
        (#"{"keys": {"a": "oaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaE="}}"#, "\"mint\" is missing"),
        (#"{"mint": "a", "keys": {}}"#, "missing or empty"),
        (#"{"mint": "a"}"#, "missing or empty"),
        (#"{"mint": 1, "keys": {"a": "oaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaE="}}"#, "must be a key name"),
        (#"{"mint": "a", "keys": ["oaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaE="]}"#, "must be an object"),
        (#"{"mint": "a", "keys": {"a": "oaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaE="}, "mode": 600}"#, "unknown member"),
        (#"["oaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaE="]"#, "one JSON object"),
        (#"{"mint": "a", "keys": {"a": "oaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaE=", "a": "srKysrKysrKysrKysrKysrKysrKysrKysrKysrKysrKysrKysg=="}}"#, "not JSON"),
        ("{broken", "not JSON"),
    ])
    func aBadFileIsRefusedWithoutQuotingASecret(_ text: String, _ why: String) {
        do throws(WebAuthnError) {
            _ = try Self.ring(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.code == .malformedRequest)
            #expect(error.message.contains(why), "\(error.message)")
            #expect(!error.message.contains("oaGh") && !error.message.contains("srKy") && !error.message.contains("AAAA"), "\(error.message)")
        }
    }
}
