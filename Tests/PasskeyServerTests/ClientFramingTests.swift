// PasskeyClient's framing and codec, without a server: frames split across arbitrary reads, response routing ids,
// and requests encoded by the client, run through the server's own WireExecutor and decoded back.
import PasskeyCOSE
@testable import PasskeyClient
import PasskeySoftAuthenticator
import PasskeyWire
import Testing

@Suite struct ClientFramingTests {
    static func frame(_ payload: [UInt8], flag: UInt8 = 0) -> [UInt8] {
        let n = payload.count
        return [flag, UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + payload
    }

    /// What FrameDecoder does with its cumulation buffer, on a plain array: every complete frame, in order.
    static func drain(_ buffer: inout [UInt8], maximum: Int = 1 << 20) -> (frames: [[UInt8]], invalid: String?) {
        var frames: [[UInt8]] = []
        while true {
            let step = buffer.withUnsafeBytes { FrameScanner.scan($0, maximumPayload: maximum) }
            switch step {
            case .needMoreData: return (frames, nil)
            case let .invalid(why): return (frames, why)
            case let .frame(n):
                frames.append(Array(buffer[5..<(5 + n)]))
                buffer.removeFirst(5 + n)
            }
        }
    }

    @Test func framesSurviveEverySplitOfTheStream() {
        let payloads: [[UInt8]] = [[], [1, 2, 3], Array(repeating: 0xAB, count: 300), [9]]
        let stream = payloads.flatMap { Self.frame($0) }
        for chunk in [1, 2, 3, 4, 5, 6, 7, 64, stream.count] {
            var buffer: [UInt8] = []
            var got: [[UInt8]] = []
            var i = 0
            while i < stream.count {
                buffer += stream[i..<min(stream.count, i + chunk)]
                i += chunk
                let (frames, invalid) = Self.drain(&buffer)
                #expect(invalid == nil)
                got += frames
            }
            #expect(got == payloads, "chunk size \(chunk)")
            #expect(buffer.isEmpty)
        }
    }

    @Test func partialHeaderAndPayloadNeedMoreData() {
        let f = Self.frame([1, 2, 3, 4])
        for cut in 0..<f.count {
            let step = f[0..<cut].withUnsafeBytes { FrameScanner.scan($0, maximumPayload: 1 << 20) }
            #expect(step == .needMoreData, "cut at \(cut)")
        }
        #expect(f.withUnsafeBytes { FrameScanner.scan($0, maximumPayload: 1 << 20) } == .frame(payloadLength: 4))
    }

    @Test func badFlagIsRefusedFromItsFirstByte() {
        let step = [UInt8(1)].withUnsafeBytes { FrameScanner.scan($0, maximumPayload: 1 << 20) }
        guard case .invalid = step else {
            Issue.record("expected invalid, got \(step)")
            return
        }
    }

    @Test func oversizedFrameIsRefusedFromItsHeader() {
        let header: [UInt8] = [0, 0, 0x10, 0, 1]  // 1 MiB + 1
        let step = header.withUnsafeBytes { FrameScanner.scan($0, maximumPayload: 1 << 20) }
        guard case .invalid = step else {
            Issue.record("expected invalid, got \(step)")
            return
        }
    }

    @Test func responseIDIsReadWithoutUnpacking() throws {
        let executor = Self.executor()
        for id: UInt64 in [1, 127, 128, 300, 1 << 40, UInt64.max] {
            let encoded = Array(executor.errorResponse(id: id, code: .overloaded, message: "busy").payload)
            #expect(encoded.withUnsafeBytes { ResponseID.scan($0) } == id)
            // Truncated: not well-formed at the top level.
            #expect(encoded.dropLast().withUnsafeBytes { ResponseID.scan($0) } == nil)
        }
        #expect([UInt8]().withUnsafeBytes { ResponseID.scan($0) } == 0)
    }

    // MARK: - Codec through the server's executor

    static func executor() -> WireExecutor {
        WireExecutor(
            registry: RelyingPartyRegistry(), keyCache: KeyCache(capacity: 64),
            description: ServerDescription(version: "test", limits: WireLimits()))
    }

    static let rpID = "codec.passkeyd.test"
    static let origin = "https://codec.passkeyd.test"

    static func assertion(json: Bool = false) throws -> AuthenticationRequest {
        let auth = try SoftAuthenticator(algorithm: .es256)
        let challenge = SoftRandom.bytes(32)
        let a = try auth.assert(rpId: rpID, origin: origin, challenge: challenge)
        let credential: AuthenticationRequest.Credential =
            json
            ? .json(String(decoding: a.json, as: UTF8.self))
            : .fields(
                credentialID: a.credentialID, authenticatorData: a.authenticatorData, clientDataJSON: a.clientDataJSON,
                signature: a.signature, userHandle: nil)
        return AuthenticationRequest(
            policy: RelyingPartyPolicy(rpID: rpID, origins: [origin]), challenge: challenge,
            credentialPublicKey: auth.cosePublicKey, storedBackupEligible: false, storedCredentialID: auth.credentialID,
            credential: credential)
    }

    /// Encodes with the client, runs on the executor, decodes with the client.
    static func roundTrip(
        _ body: RequestBody, id: UInt64 = 7, snapshot: ServerSnapshot = ServerSnapshot(draining: false, inFlight: 3, connections: 2)
    ) throws -> (summary: RequestSummary, response: Result<DecodedResponse, PasskeydClientError>) {
        let frame = try RequestEncoder.frame(body, id: id, deadlineMs: 250, allocator: .init(), maxPayload: 1 << 20)
        let bytes = Array(frame.readableBytesView)
        #expect(bytes[0] == 0)
        let payload = Array(bytes[5...])
        let executor = executor()
        let summary = try #require(payload.withUnsafeBytes { executor.decode($0) })
        let encoded = Array(executor.execute(snapshot: snapshot).payload)
        #expect(encoded.withUnsafeBytes { ResponseID.scan($0) } == id)
        let response = encoded.withUnsafeBytes { p in
            Result { () throws(PasskeydClientError) -> DecodedResponse in try ResponseDecoder.decode(p) }
        }
        return (summary, response)
    }

    @Test(arguments: [false, true])
    func singleAssertionVerifiesThroughTheCodec(json: Bool) throws {
        let (summary, response) = try Self.roundTrip(.authentication(try Self.assertion(json: json)))
        #expect(summary.id == 7)
        #expect(summary.method == .verifyAuthentication)
        #expect(summary.deadlineMs == 250)
        guard case let .authentication(r) = try response.get() else {
            Issue.record("wrong result kind")
            return
        }
        #expect(r.errorCode == nil, "\(r.errorMessage)")
        #expect(r.signCount == 1 && r.algorithm == -7 && r.userPresent && r.userVerified)
    }

    @Test func batchResultsKeepTheirOrderAndCodes() throws {
        var items = try (0..<4).map { _ in try Self.assertion() }
        if case let .fields(id, ad, cd, sig, uh) = items[2].credential {
            var s = sig
            s[s.count - 1] ^= 1
            items[2].credential = .fields(credentialID: id, authenticatorData: ad, clientDataJSON: cd, signature: s, userHandle: uh)
        }
        items[3].challenge = [UInt8](repeating: 3, count: 16)
        let (summary, response) = try Self.roundTrip(.authenticationBatch(items))
        #expect(summary.method == .verifyAuthenticationBatch && summary.itemCount == 4)
        guard case let .authenticationBatch(results) = try response.get() else {
            Issue.record("wrong result kind")
            return
        }
        #expect(results.map(\.errorCode) == [nil, nil, "BAD_SIGNATURE", "CHALLENGE_MISMATCH"])
    }

    @Test func registrationCarriesItsOutputs() throws {
        let auth = try SoftAuthenticator(algorithm: .es256)
        let challenge = SoftRandom.bytes(32)
        let reg = try auth.register(rpId: Self.rpID, origin: Self.origin, challenge: challenge)
        let request = RegistrationRequest(
            policy: RelyingPartyPolicy(rpID: Self.rpID, origins: [Self.origin]), challenge: challenge,
            credential: .fields(
                credentialID: reg.credentialID, clientDataJSON: reg.clientDataJSON,
                attestationObject: reg.attestationObject, transports: ["usb", "nfc"]))
        guard case let .registration(r) = try Self.roundTrip(.registration(request)).response.get() else {
            Issue.record("wrong result kind")
            return
        }
        #expect(r.errorCode == nil, "\(r.errorMessage)")
        #expect(r.credentialID == auth.credentialID)
        #expect(r.credentialPublicKey == auth.cosePublicKey)
        #expect(r.aaguid == auth.aaguid && r.format == "none" && r.attestationType == "none")
        #expect(r.transports == ["usb", "nfc"])
    }

    @Test func requestLevelErrorsAreThrown() throws {
        let named = AuthenticationRequest(
            policy: .named("nobody"), challenge: [1], credentialPublicKey: [1], credential: .json("{}"))
        guard case let .authentication(r) = try Self.roundTrip(.authentication(named)).response.get() else {
            Issue.record("wrong result kind")
            return
        }
        #expect(r.errorCode == "UNKNOWN_RELYING_PARTY")

        let executor = Self.executor()
        let encoded = Array(executor.errorResponse(id: 9, code: .shuttingDown, message: "draining").payload)
        let decoded = encoded.withUnsafeBytes { p in
            Result { () throws(PasskeydClientError) -> DecodedResponse in try ResponseDecoder.decode(p) }
        }
        #expect(throws: PasskeydClientError.server(code: "SHUTTING_DOWN", message: "draining")) { try decoded.get() }
    }

    @Test func healthAndInfoDecode() throws {
        guard case let .health(h) = try Self.roundTrip(.health).response.get() else {
            Issue.record("wrong result kind")
            return
        }
        #expect(h == HealthStatus(status: .serving, inFlight: 3, connections: 2))
        // The replay store's status and, when it cannot be reached, why.
        for (store, expected) in [
            (ChallengeStoreHealth.connected, HealthStatus.ChallengeStore.connected),
            (.unreachable("cannot connect to redis://127.0.0.1:6379/0"), .unreachable),
        ] {
            let snapshot = ServerSnapshot(draining: true, inFlight: 0, connections: 1, challengeStore: store)
            guard case let .health(h) = try Self.roundTrip(.health, snapshot: snapshot).response.get() else {
                Issue.record("wrong result kind")
                return
            }
            let message = expected == .unreachable ? "cannot connect to redis://127.0.0.1:6379/0" : ""
            #expect(
                h == HealthStatus(status: .draining, inFlight: 0, connections: 1, challengeStore: expected, challengeStoreMessage: message))
        }
        guard case let .serverInfo(i) = try Self.roundTrip(.serverInfo).response.get() else {
            Issue.record("wrong result kind")
            return
        }
        #expect(i.version == "test" && i.maxBatchItems == 4096 && i.algorithms.contains(-7))
        // ML-DSA-65 and ML-DSA-87 are offered; ML-DSA-44 is refused, so it is not listed.
        #expect(i.algorithms.contains(-49) && i.algorithms.contains(-50) && !i.algorithms.contains(-48))
    }

    @Test func oversizedRequestIsRefusedLocally() throws {
        var r = try Self.assertion()
        r.challenge = Array(repeating: 7, count: 2048)
        #expect(throws: PasskeydClientError.self) {
            _ = try RequestEncoder.frame(.authentication(r), id: 1, deadlineMs: 0, allocator: .init(), maxPayload: 1024)
        }
    }
}
