import ArgumentParser
import PasskeyProtocol
import PasskeyRequests

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
        guard let k = OptionsRequestJSON.Kind(rawValue: kind) else {
            printError("passkeyd: options: the kind must be registration or authentication, not '\(kind)'")
            throw ExitCode(2)
        }
        guard let parsed = readRequest(request, tool: "passkeyd", { (b) throws(RequestError) in try OptionsRequestJSON.parse(k, b) })
        else { throw ExitCode(2) }
        // The executor's challenge keys are this process's own (ephemeral), as the help says.
        let (json, status) = VerdictJSON.verdict(InProcessExecutor.make().run(parsed.wire))
        print(json)
        if status != 0 { throw ExitCode(status) }
    }
}
