import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import NIOCore
import PasskeyServer
import PasskeySoftAuthenticator
import PasskeyWire
import Testing

@testable import PasskeyGRPC

/// The gRPC listener on a real loopback port, called by grpc-swift-2's own client with the generated typed stubs
/// (SwiftProtobuf on the client side; the server never decodes with it).
@Suite(.serialized) struct GRPCListenerTests {
    let rpID = "example.com"
    let origin = "https://example.com"

    /// A server with no framed listener and a gRPC listener on a free port.
    func start(_ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> (PasskeyServer, GRPCListener, Int) {
        var c = ServerConfiguration()
        c.grpcPort = 0
        configure(&c)
        let server = PasskeyServer(configuration: c, registry: RelyingPartyRegistry(named: [:]), logger: Logger(label: "test"))
        try await server.start()
        let listener = GRPCListener(server: server)
        server.attach(listener)
        let port = try await listener.start()
        return (server, listener, port)
    }

    func stop(_ server: PasskeyServer) async {
        await server.drain(timeout: .seconds(5))
        await server.shutdown()
    }

    func withClient<R: Sendable>(
        port: Int, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> R
    ) async throws -> R {
        let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
        return try await withGRPCClient(transport: transport) { client in try await body(client) }
    }

    func assertionRequest(_ auth: SoftAuthenticator, challenge: [UInt8], origin: String? = nil) throws
        -> Passkeyd_V1_VerifyAuthenticationRequest
    {
        let a = try auth.assert(rpId: rpID, origin: origin ?? self.origin, challenge: challenge)
        var r = Passkeyd_V1_VerifyAuthenticationRequest()
        r.policy.rpID = rpID
        r.policy.origins = [self.origin]
        r.challenge = Data(challenge)
        r.credentialPublicKey = Data(auth.cosePublicKey)
        var f = Passkeyd_V1_AssertionFields()
        f.credentialID = Data(a.credentialID)
        f.authenticatorData = Data(a.authenticatorData)
        f.clientDataJson = Data(a.clientDataJSON)
        f.signature = Data(a.signature)
        r.fields = f
        return r
    }

    @Test func verdictsAreResultsAndLimitsAreStatuses() async throws {
        let (server, _, port) = try await start { $0.limits.maxBatchItems = 2 }
        let auth = try SoftAuthenticator(algorithm: .es256)
        let challenge = SoftRandom.bytes(32)
        let good = try assertionRequest(auth, challenge: challenge)
        let evil = try assertionRequest(auth, challenge: challenge, origin: "https://evil.example")
        try await withClient(port: port) { client in
            let passkeyd = Passkeyd_V1_Passkeyd.Client(wrapping: client)
            let ok = try await passkeyd.verifyAuthentication(good)
            #expect(ok.errorCode == .none, "\(ok.errorMessage)")
            #expect(ok.signCount == 1 && ok.userPresent && ok.algorithm == -7)
            // A failed ceremony is a result with its code, never a status.
            let rejected = try await passkeyd.verifyAuthentication(evil)
            #expect(rejected.errorCode == .originMismatch)

            var batch = Passkeyd_V1_VerifyAuthenticationBatchRequest()
            batch.items = [good, evil]
            let two = try await passkeyd.verifyAuthenticationBatch(batch)
            #expect(two.results.map(\.errorCode) == [.none, .originMismatch])

            batch.items.append(good)
            await #expect {
                _ = try await passkeyd.verifyAuthenticationBatch(batch)
            } throws: { error in
                guard let e = error as? RPCError else { return false }
                return e.code == .resourceExhausted && e.message.hasPrefix("BATCH_TOO_LARGE: batch of 3 items")
                    && Array(e.metadata[stringValues: "passkeyd-error-code"]) == ["BATCH_TOO_LARGE"]
            }

            let info = try await passkeyd.serverInfo(Passkeyd_V1_ServerInfoRequest())
            #expect(info.maxBatchItems == 2 && info.version == PasskeyServer.version)
            let health = try await passkeyd.health(Passkeyd_V1_HealthRequest())
            #expect(health.status == .serving && health.connections >= 1)
        }
        await stop(server)
    }

    @Test func healthTurnsNotServingWhenTheServerDrains() async throws {
        let (server, _, port) = try await start()
        try await withClient(port: port) { client in
            let health = Grpc_Health_V1_Health.Client(wrapping: client)
            var request = Grpc_Health_V1_HealthCheckRequest()
            #expect(try await health.check(request).status == .serving)
            request.service = "passkeyd.v1.Passkeyd"
            #expect(try await health.check(request).status == .serving)
            request.service = "elsewhere"
            await #expect { _ = try await health.check(request) } throws: { ($0 as? RPCError)?.code == .notFound }

            request.service = ""
            let seen = try await health.watch(request) { response in
                var statuses: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
                for try await message in response.messages {
                    statuses.append(message.status)
                    // The drain starts once the watcher has seen SERVING; the call must then end by itself.
                    if statuses.count == 1 { Task { await server.drain(timeout: .seconds(5)) } }
                }
                return statuses
            }
            #expect(seen == [.serving, .notServing])
        }
        await server.shutdown()
    }

    /// What an rpc that slips in between the start of the drain and the listener's GOAWAY gets.
    @Test func aDrainingServerAnswersShuttingDown() async throws {
        let (server, _, _) = try await start()
        let health = RequestEnvelope.wrap(ByteBuffer(), field: 14, deadlineMs: 0)
        guard case .result(field: 14, _)? = ResponseSlice.read(await server.respond(to: health)) else {
            Issue.record("health did not answer before the drain")
            return
        }
        await server.drain(timeout: .seconds(5))
        guard case let .error(code, message)? = ResponseSlice.read(await server.respond(to: health)) else {
            Issue.record("no error after the drain")
            return
        }
        let status = GRPCStatusMapping.error(code: code, message: message)
        #expect(status.code == .unavailable)
        #expect(Array(status.metadata[stringValues: "passkeyd-error-code"]) == ["SHUTTING_DOWN"])
        await server.shutdown()
    }
}
