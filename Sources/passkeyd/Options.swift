import PasskeyJSON
import ArgumentParser
import PasskeyRequests
import PasskeyWebAuthn

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate registration or authentication options (WebAuthn L3 JSON) for one request and print them.",
        discussion: """
            The request is a JSON object with the relying-party members `passkeyd verify` takes (rp_id, origins,
            options, app_id, ...) and, for registration, "user": {"id_b64url", "name", "display_name"} and
            "exclude_credentials"; for authentication, "allow_credentials" (empty: a usernameless login). See the
            README ("Options") for every member. The challenge is minted with a key of this process only: verify the
            answer with its bytes (`challenge_b64url` of the output) as the expected challenge. Exit status: 0
            generated, 2 unusable input.
            """)

    @Argument(help: "registration or authentication.")
    var kind: String

    @Argument(help: "Path of the request JSON, or - for standard input.")
    var request: String

    func run() throws {
        guard let k = OptionsRequest.Kind(rawValue: kind) else {
            printError("passkeyd: options: the kind must be registration or authentication, not '\(kind)'")
            throw ExitCode(2)
        }
        let bytes: [UInt8]
        do {
            bytes = try readAll(request)
        } catch {
            printError("passkeyd: cannot read \(request): \(error)")
            throw ExitCode(2)
        }
        let parsed: OptionsRequest
        do {
            parsed = try OptionsRequest(kind: k, json: bytes)
        } catch {
            print(Self.refusal(WebAuthnError(.malformedRequest, error.description)))
            throw ExitCode(2)
        }
        switch parsed.generate(keys: ChallengeKeyRing.ephemeral()) {
        case let .success(g):
            print(OptionsRequest.json(g))
        case let .failure(e):
            print(Self.refusal(e))
            throw ExitCode(2)
        }
    }

    static func refusal(_ e: WebAuthnError) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.member("ok", false)
        w.key("error")
        w.beginObject()
        w.member("code", e.code.rawValue)
        w.member("message", e.message)
        w.endObject()
        w.endObject()
        return w.text
    }
}
