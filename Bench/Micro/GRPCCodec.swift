// The gRPC listener's codec choice, measured: per VerifyAuthentication call, what the raw-bytes path costs (an envelope
// in front of the request message, the result sliced out of the response) next to what generated typed stubs would
// cost in front of the same executor (SwiftProtobuf decode, re-encode into a Request, decode the Response, encode the
// result), and the executor's own unpack + verify + pack for scale. docs/DESIGN.md quotes the figures.
import NIOCore
import PasskeyCOSE
import PasskeyGRPC
import PasskeySoftAuthenticator
import PasskeyWire

#if canImport(Glibc)
    import Glibc
#endif

func runGRPCCodec(seconds: Double, jsonPath: String?) throws {
    let auth = try SoftAuthenticator(algorithm: .es256)
    let challenge = SoftRandom.bytes(32)
    let a = try auth.assert(rpId: "example.com", origin: "https://example.com", challenge: challenge)
    let request = try GRPCCodecComparison.authenticationRequest(
        rpID: "example.com", origin: "https://example.com", challenge: challenge, credentialPublicKey: auth.cosePublicKey,
        credentialID: a.credentialID, authenticatorData: a.authenticatorData, clientDataJSON: a.clientDataJSON,
        signature: a.signature)
    let executor = WireExecutor(
        registry: RelyingPartyRegistry(named: [:]), keyCache: KeyCache(capacity: 16),
        description: ServerDescription(version: "bench", limits: WireLimits()))
    let snapshot = ServerSnapshot(draining: false, inFlight: 1, connections: 1)
    let envelope = RequestEnvelope.wrap(request, field: 11, deadlineMs: 0)
    func execute() -> ByteBuffer {
        _ = envelope.withUnsafeReadableBytes { executor.decodeRequest($0) }
        return ByteBuffer(bytes: executor.execute(snapshot: snapshot).payload)
    }
    let response = execute()
    guard case .result? = ResponseSlice.read(response) else { throw SoftError("the executor gave no result") }

    var sink = 0
    let raw = microsecondsPerCall(seconds: seconds) { sink &+= GRPCCodecComparison.raw(request: request, response: response) }
    let typed = microsecondsPerCall(seconds: seconds) {
        sink &+= (try? GRPCCodecComparison.typed(request: request, response: response)) ?? -1
    }
    let verify = microsecondsPerCall(seconds: seconds) { sink &+= execute().readableBytes }
    print("grpc codec per VerifyAuthentication call (request \(request.readableBytes) B, response \(response.readableBytes) B):")
    print(String(format: "  raw bytes (envelope + slice)        %7.2f µs", raw))
    print(String(format: "  typed SwiftProtobuf (decode+encode) %7.2f µs  (%.1f× raw)", typed, typed / raw))
    print(String(format: "  executor unpack + verify + pack     %7.2f µs  (raw is %.1f%%, typed %.1f%% of it)", verify,
                 raw / verify * 100, typed / verify * 100))
    if sink == 42 { print("") }
    if let jsonPath {
        let json = "{\"raw_us\":\(raw),\"typed_us\":\(typed),\"execute_us\":\(verify),\"request_bytes\":\(request.readableBytes),\"response_bytes\":\(response.readableBytes)}\n"
        guard let f = fopen(jsonPath, "w") else { throw SoftError("cannot write \(jsonPath)") }
        fputs(json, f)
        fclose(f)
    }
}
