import ArgumentParser
import PasskeyProtocol
import PasskeyRequests
import PasskeyWebAuthn
import PasskeydSettings

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
        // The same reader as passkeyctl's; `attestation_roots` (no wire field) becomes what the policy starts from.
        var attestation = AttestationPolicy()
        let read = readRequest(request, tool: "passkeyd") { (bytes) throws(RequestError) in
            try VerifyRequestJSON.parse(bytes, extraMembers: ["attestation_roots"]) { (f) throws(RequestError) in
                attestation = try RelyingPartyJSON.decodeServerAttestation(
                    reader: f.reader, object: f.root, directory: nil, onto: attestation)
            }
        }
        guard let parsed = read else { throw ExitCode(2) }
        let (json, status) = VerdictJSON.verdict(InProcessExecutor.make(attestation: attestation).run(parsed.wire))
        print(json)
        if status != 0 { throw ExitCode(status) }
    }
}
