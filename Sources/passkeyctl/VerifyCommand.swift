import ArgumentParser
import PasskeyClient
import PasskeyRequests
import PasskeyWebAuthn

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
        let bytes: [UInt8]
        do {
            bytes = try readAll(request)
        } catch {
            printError("passkeyctl: cannot read \(request): \(error)")
            throw ExitCode(2)
        }
        let parsed: WireRequestJSON.Parsed
        do {
            parsed = try WireRequestJSON.parse(bytes)
        } catch {
            print(VerdictJSON.error(code: WebAuthnError.Code.malformedRequest.rawValue, message: error.description))
            throw ExitCode(2)
        }
        let client = try root.makeClient()
        let outcome: Result<(json: String, accepted: Bool), PasskeydClientError>
        do throws(PasskeydClientError) {
            switch parsed {
            case let .authentication(r):
                let result = try await client.verifyAuthentication(r)
                outcome = .success((VerdictJSON.authentication(result), result.isVerified))
            case let .registration(r):
                let result = try await client.verifyRegistration(r)
                outcome = .success((VerdictJSON.registration(result), result.isVerified))
            }
        } catch {
            outcome = .failure(error)
        }
        await client.close()
        switch outcome {
        case let .success(verdict):
            print(verdict.json)
            if !verdict.accepted { throw ExitCode(1) }
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
