import GRPCCore
import NIOCore
import PasskeyServer
import PasskeyWire

/// `passkeyd.v1.Passkeyd` with raw-bytes (de)serializers: each rpc's request message is wrapped into the framed
/// protocol's `Request` (`RequestEnvelope`), run by the server exactly as a frame is (`PasskeyServer.respond`), and
/// the result member is cut out of the `Response` and sent unchanged (`ResponseSlice`); a request-level error becomes
/// a status (`GRPCStatusMapping`). The method descriptors come from the generated code, so names cannot drift from
/// the .proto.
struct PasskeydRawService: RegistrableRPCService {
    let server: PasskeyServer
    let metrics: GRPCMetrics

    /// Every rpc, its descriptor and its member's field number in `Request.method` / `Response.result`.
    static let methods: [(descriptor: MethodDescriptor, field: UInt64)] = [
        (Passkeyd_V1_Passkeyd.Method.VerifyRegistration.descriptor, 10),
        (Passkeyd_V1_Passkeyd.Method.VerifyAuthentication.descriptor, 11),
        (Passkeyd_V1_Passkeyd.Method.VerifyAuthenticationBatch.descriptor, 12),
        (Passkeyd_V1_Passkeyd.Method.VerifyRegistrationBatch.descriptor, 13),
        (Passkeyd_V1_Passkeyd.Method.Health.descriptor, 14),
        (Passkeyd_V1_Passkeyd.Method.ServerInfo.descriptor, 15),
        (Passkeyd_V1_Passkeyd.Method.GenerateRegistrationOptions.descriptor, 16),
        (Passkeyd_V1_Passkeyd.Method.GenerateAuthenticationOptions.descriptor, 17),
    ]

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        for (index, (descriptor, field)) in Self.methods.enumerated() {
            router.registerHandler(
                forMethod: descriptor, deserializer: RawDeserializer(), serializer: RawSerializer()
            ) { [server, metrics] request, _ in
                let started = ContinuousClock.now
                let single = try await ServerRequest(stream: request)
                let response = await Self.call(server, single.message.bytes, field: field, metadata: single.metadata)
                metrics.finished(method: index, status: response.accepted, since: started)
                return StreamingServerResponse(single: response)
            }
        }
    }

    /// Runs one request message as the `Request.method` member `field`.
    static func call(
        _ server: PasskeyServer, _ message: ByteBuffer, field: UInt64, metadata: Metadata
    ) async -> ServerResponse<RawMessage> {
        let payload = RequestEnvelope.wrap(message, field: field, deadlineMs: GRPCTimeout.milliseconds(in: metadata))
        let response = await server.respond(to: payload)
        switch ResponseSlice.read(response) {
        case let .result(got, bytes)? where got == field:
            return ServerResponse(message: RawMessage(bytes: bytes))
        case let .error(code, message)?:
            return ServerResponse(error: GRPCStatusMapping.error(code: code, message: message))
        default:
            return ServerResponse(error: RPCError(code: .internalError, message: "the executor's response has no result"))
        }
    }
}

/// The `grpc-timeout` request header (gRPC over HTTP/2: 1–8 digits and a unit), as the framed protocol's
/// `deadline_ms`. gRPC itself cancels the call at its deadline; this also stops a large batch from starting on the
/// worker pool after it.
enum GRPCTimeout {
    static func milliseconds(in metadata: Metadata) -> UInt32 {
        guard let text = metadata[stringValues: "grpc-timeout"].first(where: { _ in true }) else { return 0 }
        return parse(text) ?? 0
    }

    /// Nil when the value is not in the protocol's form; at least 1 ms for any positive timeout.
    static func parse(_ text: String) -> UInt32? {
        guard let unit = text.last, text.count >= 2, text.count <= 9, let n = UInt64(text.dropLast()) else { return nil }
        let ms: UInt64
        switch unit {
        case "H": ms = n * 3_600_000
        case "M": ms = n * 60_000
        case "S": ms = n * 1000
        case "m": ms = n
        case "u": ms = (n + 999) / 1000
        case "n": ms = (n + 999_999) / 1_000_000
        default: return nil
        }
        return UInt32(min(ms, UInt64(UInt32.max)))
    }
}
