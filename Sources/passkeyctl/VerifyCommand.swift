import ArgumentParser
import PasskeyClient
import PasskeyProtocol
import PasskeyRequests

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify one request (a file, or - for standard input) on the server and print the verdict as JSON.",
        discussion: """
            The request is the JSON object `passkeyd verify` reads (see its help). Exit status: 0 accepted, 1 rejected,
            2 unusable input, a request-level error from the server, or a transport failure.
            """)

    @ParentCommand var root: Passkeyctl

    @Argument(help: "Path of the request JSON, or - for standard input.")
    var request: String

    func run() async throws {
        guard let parsed = readRequest(request, tool: "passkeyctl", { (b) throws(RequestError) in try VerifyRequestJSON.parse(b) })
        else { throw ExitCode(2) }
        try await root.printVerdict(for: parsed.wire)
    }
}

extension Passkeyctl {
    /// Sends one request and prints its verdict as `passkeyd` does for the same JSON (one printer, one exit rule).
    func printVerdict(for request: PasskeydRequest) async throws {
        let client = try makeClient()
        let outcome: Result<PasskeydResponse, PasskeydClientError>
        do throws(PasskeydClientError) {
            outcome = .success(try await client.send(request))
        } catch {
            outcome = .failure(error)
        }
        await client.close()
        switch outcome {
        case let .success(response):
            let (json, status) = VerdictJSON.verdict(response)
            print(json)
            if status != 0 { throw ExitCode(status) }
        case let .failure(error):
            try report(error)
        }
    }
}

/// Request-level errors print as an `ok: false` verdict; transport failures go to standard error. Both exit 2.
func report(_ error: PasskeydClientError) throws -> Never {
    if case let .server(code, message) = error {
        print(VerdictJSON.error(code: code, message: message))
    } else {
        printError("passkeyctl: \(error)")
    }
    throw ExitCode(2)
}
