// The Swift client unpacks responses within a budget too: the densest real responses fit, a response shaped to
// amplify is refused (as a protocol violation) instead of taking the client's memory.
import PasskeyCOSE
@testable import PasskeyClient
import PasskeySoftAuthenticator
import PasskeyWire
import Testing

@Suite struct ClientResponseBudgetTests {
    static let snapshot = ServerSnapshot(draining: false, inFlight: 1, connections: 1)

    /// A batch of `n` assertions (failing ones claim another challenge) run through the server's executor.
    /// `minimal`: no counter and no UV, so each verified result encodes in as few bytes as a real one can.
    static func batchResponse(_ n: Int, failing: Bool = false, minimal: Bool = false) throws -> [UInt8] {
        let auth = try SoftAuthenticator(algorithm: .es256, credentialID: [1, 2, 3, 4])
        let challenge = [UInt8](repeating: 9, count: 32)
        var items: [AuthenticationRequest] = []
        for _ in 0..<n {
            var options = SoftCeremonyOptions()
            if minimal {
                options.flags = [.userPresent]
                options.signCount = 0
            }
            let a = try auth.assert(rpId: "example.com", origin: "https://example.com", challenge: challenge, options: options)
            items.append(
                AuthenticationRequest(
                    policy: RelyingPartyPolicy(rpID: "example.com", origins: ["https://example.com"]),
                    challenge: failing ? [1] : challenge, credentialPublicKey: auth.cosePublicKey,
                    credential: .fields(
                        credentialID: a.credentialID, authenticatorData: a.authenticatorData,
                        clientDataJSON: a.clientDataJSON, signature: a.signature, userHandle: nil)))
        }
        let payload = try EncodedRequest(.authenticationBatch(items), id: 3, maxPayload: 8 << 20).payload
        var limits = WireLimits()
        limits.maxBatchItems = n
        let executor = WireExecutor(
            registry: RelyingPartyRegistry(), keyCache: KeyCache(capacity: 16),
            description: ServerDescription(version: "test", limits: limits),
            unpackBudget: UnpackBudget(baseBytes: 1 << 30, bytesPerPayloadByte: 0))
        guard case .decoded = payload.withUnsafeBytes({ executor.decodeRequest($0) }) else { throw SoftError("not decoded") }
        return Array(executor.execute(snapshot: snapshot).payload)
    }

    static func ratio(_ name: String, _ payload: [UInt8]) -> Double {
        let cost = payload.withUnsafeBytes { ResponseDecoder.unpackedBytes($0) } ?? -1
        let r = Double(cost) / Double(payload.count)
        print("client unpack \(name): response \(payload.count) bytes, arena \(cost) bytes, \(Int(r.rounded()))×")
        return r
    }

    @Test func realResponsesFit() throws {
        var worst = 0.0
        for (name, payload) in [
            ("4096 verified assertions", try Self.batchResponse(4096)),
            ("4096 verified assertions without counter or UV", try Self.batchResponse(4096, minimal: true)),
            ("4096 failed assertions", try Self.batchResponse(4096, failing: true)),
            ("one verified assertion", try Self.batchResponse(1)),
        ] {
            worst = max(worst, Self.ratio(name, payload))
            let decoded = payload.withUnsafeBytes { p in
                Result { () throws(PasskeydClientError) -> PasskeydResponse in try PasskeydClientError.decode(p) }
            }
            guard case let .success(.authenticationBatch(results)) = decoded, !results.isEmpty else {
                Issue.record("\(name): \(decoded)")
                continue
            }
        }
        print("client unpack: worst real ratio \(Int(worst.rounded()))×, budget \(ResponseDecoder.budget.bytesPerPayloadByte)×")
        #expect(worst * 1.25 <= Double(ResponseDecoder.budget.bytesPerPayloadByte))
    }

    @Test func amplifyingResponsesAreRefused() {
        // Response { id: 1, verify_authentication_batch { results: {} × ~500k } }: 2 bytes in, ~150 out per result.
        var body: [UInt8] = []
        while body.count < (1 << 20) - 16 { body += [0x0A, 0x00] }
        let payload = [0x08, 0x01] + Wire.field(12, body)
        let decoded = payload.withUnsafeBytes { p in
            Result { () throws(PasskeydClientError) -> PasskeydResponse in try PasskeydClientError.decode(p) }
        }
        guard case let .failure(.protocolViolation(why)) = decoded else {
            Issue.record("not refused: \(decoded)")
            return
        }
        #expect(why.contains("would take more than"))
    }
}
