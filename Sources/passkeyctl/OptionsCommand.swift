import ArgumentParser
import PasskeyRequests

struct OptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "options",
        abstract: "Generate registration or authentication options on the server and print them as JSON.",
        discussion: """
            The request is the JSON object `passkeyd options` reads (see its help); the challenge is minted by the
            server's key ring. Prints {"ok": true, "options": {...}, "challenge_b64url", "expires_at_unix_ms",
            "timeout_ms"}. Exit status: 0 generated, 2 unusable input, a refusal, or a transport failure.
            """)

    @ParentCommand var root: Passkeyctl

    @Argument(help: "registration or authentication.")
    var kind: String

    @Argument(help: "Path of the request JSON, or - for standard input.")
    var request: String

    func run() async throws {
        guard let k = OptionsRequestJSON.Kind(rawValue: kind) else {
            printError("passkeyctl: options: the kind must be registration or authentication, not '\(kind)'")
            throw ExitCode(2)
        }
        guard let parsed = readRequest(request, tool: "passkeyctl", { (b) throws(RequestError) in try OptionsRequestJSON.parse(k, b) })
        else { throw ExitCode(2) }
        try await root.printVerdict(for: parsed.wire)
    }
}
