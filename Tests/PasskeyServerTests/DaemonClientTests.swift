import Foundation
import PasskeyClient
import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// The Swift client against the real daemon over a real Unix socket, including the daemon being killed (-9) and
/// restarted while the client keeps going.
@Suite(.serialized) struct DaemonClientTests {
    static var binary: URL? {
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("passkeyd")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    final class Daemon {
        let process = Process()
        init(socket: String) throws {
            guard let binary = DaemonClientTests.binary else { throw SoftError("passkeyd not found next to the tests") }
            process.executableURL = binary
            process.arguments = ["serve", "--unix-socket", socket, "--log-level", "warning"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<300 where !FileManager.default.fileExists(atPath: socket) { usleep(20_000) }
            usleep(50_000)
        }
        func kill9() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        func terminate() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    let rp = RelyingPartyPolicy(rpID: "example.com", origins: ["https://example.com"])
    let challenge = SoftRandom.bytes(32)

    func request(_ auth: SoftAuthenticator) throws -> AuthenticationRequest {
        let a = try auth.assert(rpId: "example.com", origin: "https://example.com", challenge: challenge)
        return AuthenticationRequest(
            policy: rp, challenge: challenge, credentialPublicKey: auth.cosePublicKey,
            credential: .fields(
                credentialID: a.credentialID, authenticatorData: a.authenticatorData, clientDataJSON: a.clientDataJSON,
                signature: a.signature, userHandle: nil))
    }

    @Test func verifiesThroughTheRealDaemon() async throws {
        let socket = NSTemporaryDirectory() + "pkd-swift-\(UUID().uuidString.prefix(8)).sock"
        let daemon = try Daemon(socket: socket)
        defer { daemon.terminate() }
        let client = PasskeydClient(endpoint: .unixDomainSocket(path: socket), connections: 2)
        let auth = try SoftAuthenticator(algorithm: .es256)
        let single = try await client.verifyAuthentication(try request(auth))
        #expect(single.errorCode == nil && single.signCount == 1)
        var items = try (0..<20).map { _ in try request(auth) }
        items[7].challenge = SoftRandom.bytes(32)
        let results = try await client.verifyAuthenticationBatch(items)
        #expect(results.count == 20)
        #expect(results[7].errorCode == "CHALLENGE_MISMATCH")
        #expect(results.enumerated().allSatisfy { $0.offset == 7 || $0.element.errorCode == nil })
        let health = try await client.health()
        #expect(health.connections >= 1 && health.challengeStore == .memory && health.challengeStoreMessage.isEmpty)
        await client.close()
    }

    /// Every attestation format through the wire, with its type, trust source and details in the result.
    @Test func attestationFormatsThroughTheRealDaemon() async throws {
        let socket = NSTemporaryDirectory() + "pkd-swift-\(UUID().uuidString.prefix(8)).sock"
        let daemon = try Daemon(socket: socket)
        defer { daemon.terminate() }
        let client = PasskeydClient(endpoint: .unixDomainSocket(path: socket), connections: 1)
        let root = try TestCA(name: "wire formats root")
        let intermediate = try root.intermediate(name: "wire formats CA")
        var policy = rp
        policy.trustAnchorsDER = [root.root.derBytes]
        policy.attestationMode = .trusted
        policy.attestationAllowRS1 = true
        let cases: [(SoftAttestation, COSEAlgorithm, String, String)] = [
            (.packed(try intermediate.issueAttestation()), .es256, "packed", "basic"),
            (.tpm(issuer: intermediate, aik: try PrivateKey.generateRSA(bits: 2048), algorithm: .rs1), .rs256, "tpm", "attca"),
            (.androidKey(ca: intermediate), .es256, "android-key", "basic"),
            (.apple(ca: intermediate), .es256, "apple", "anonca"),
        ]
        for (attestation, alg, format, type) in cases {
            let auth = try SoftAuthenticator(algorithm: alg)
            let reg = try auth.register(rpId: "example.com", origin: "https://example.com", challenge: challenge, attestation: attestation)
            let r = try await client.verifyRegistration(
                RegistrationRequest(policy: policy, challenge: challenge, credential: .json(String(decoding: reg.json, as: UTF8.self))))
            #expect(r.errorCode == nil, "\(format): \(r.errorMessage)")
            #expect(r.format == format && r.attestationType == type && r.attestationTrusted)
            #expect(r.attestationTrustSource == "anchors")
            #expect(r.attestationCertificates.count >= 2)
            if format == "tpm" { #expect(r.attestationDetails.contains { $0.name == "tpm_manufacturer" }) }
            if format == "android-key" { #expect(r.attestationDetails.contains(PasskeydAttestationDetail(name: "android_security_level", value: "tee"))) }
        }
        // The same TPM registration without the attestation-scoped RS1 switch is refused with the engine's code.
        policy.attestationAllowRS1 = false
        let auth = try SoftAuthenticator(algorithm: .rs256)
        let reg = try auth.register(
            rpId: "example.com", origin: "https://example.com", challenge: challenge,
            attestation: .tpm(issuer: intermediate, aik: try PrivateKey.generateRSA(bits: 2048), algorithm: .rs1))
        let refused = try await client.verifyRegistration(
            RegistrationRequest(policy: policy, challenge: challenge, credential: .json(String(decoding: reg.json, as: UTF8.self))))
        #expect(refused.errorCode == "ALGORITHM_NOT_ALLOWED")
        await client.close()
    }

    @Test func clientSurvivesKillAndRestart() async throws {
        let socket = NSTemporaryDirectory() + "pkd-swift-\(UUID().uuidString.prefix(8)).sock"
        var daemon = try Daemon(socket: socket)
        let client = PasskeydClient(endpoint: .unixDomainSocket(path: socket), connections: 2)
        let auth = try SoftAuthenticator(algorithm: .es256)
        #expect(try await client.verifyAuthentication(try request(auth)).errorCode == nil)
        daemon.kill9()
        // While it is down, calls fail cleanly (no hang, no crash).
        let downRequest = try request(auth)
        do {
            _ = try await client.verifyAuthentication(downRequest)
            Issue.record("a call succeeded with the daemon down")
        } catch {
            switch error {
            case .connectionClosed, .connectFailed: break
            default: Issue.record("unexpected error with the daemon down: \(error)")
            }
        }
        daemon = try Daemon(socket: socket)
        defer { daemon.terminate() }
        // The pool reconnects by itself; verification is side-effect free, so retrying it is safe.
        var recovered = false
        for _ in 0..<50 where !recovered {
            if let r = try? await client.verifyAuthentication(try request(auth)), r.errorCode == nil { recovered = true }
            else { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(recovered)
        await client.close()
    }
}
