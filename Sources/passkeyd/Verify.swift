import PasskeyJSON
import ArgumentParser
import PasskeyRequests
import PasskeyWebAuthn

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify one request (a file, or - for standard input) and print the verdict as JSON.",
        discussion: """
            The request is a JSON object:
              {"kind": "registration" | "authentication", "rp_id": "example.com", "origins": ["https://example.com"],
               "challenge_b64url": "...", "response": { PublicKeyCredential JSON as the browser sends it },
               "credential_public_key_b64url": "... (authentication)", "stored_sign_count": 0, ...}
            See the README for every member. Exit status: 0 accepted, 1 rejected, 2 unusable input.
            """)

    @Argument(help: "Path of the request JSON, or - for standard input.")
    var request: String

    func run() throws {
        let bytes: [UInt8]
        do {
            bytes = try readAll(request)
        } catch {
            printError("passkeyd: cannot read \(request): \(error)")
            throw ExitCode(2)
        }
        let parsed: VerificationRequest
        do {
            parsed = try VerificationRequest(json: bytes)
        } catch {
            var w = JSONWriter()
            w.beginObject()
            w.member("ok", false)
            w.key("error")
            w.beginObject()
            w.member("code", WebAuthnError.Code.malformedRequest.rawValue)
            w.member("message", error.description)
            w.endObject()
            w.endObject()
            print(w.text)
            throw ExitCode(2)
        }
        let verdict = Verdict.evaluate(parsed, verifier: WebAuthnVerifier())
        print(verdict.json)
        if !verdict.accepted { throw ExitCode(1) }
    }
}
