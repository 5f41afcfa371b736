public import GRPCCore
import PasskeyProtocol
public import PasskeyWire

/// How a request-level error of the framed protocol (`Response.error`) becomes a gRPC status (Protos/README.md,
/// "gRPC"). The passkeyd code's name goes in the `passkeyd-error-code` trailer and starts the status message, so a
/// client can tell OVERLOADED from SHUTTING_DOWN (both UNAVAILABLE) without parsing prose. Ceremony failures are
/// never statuses: they are results, as in the framed protocol.
public enum GRPCStatusMapping {
    /// The trailer that names the passkeyd code.
    public static let errorCodeKey = "passkeyd-error-code"

    /// The gRPC code for a request-level passkeyd code.
    ///
    /// - UNAVAILABLE: nothing was run and the same request may succeed later or elsewhere (overloaded, draining, the
    ///   shared replay store unreachable), which is the code gRPC clients and proxies retry.
    /// - RESOURCE_EXHAUSTED: a limit the request itself exceeds (batch items, unpack budget, message size); resending
    ///   it unchanged fails again.
    public static func code(for error: WireErrorCode) -> RPCError.Code {
        switch error {
        case .overloaded, .shuttingDown, .unavailable: .unavailable
        case .deadlineExceeded: .deadlineExceeded
        case .batchTooLarge, .resourceExhausted, .frameTooLarge: .resourceExhausted
        case .malformedFrame, .malformedRequest: .invalidArgument
        case .unknownMethod: .unimplemented
        case .unknownRelyingParty: .notFound
        case .internalError: .internalError
        }
    }

    /// The error for `Response.error { code, message }` (a number this build does not know is UNKNOWN).
    public static func error(code: Int, message: String) -> RPCError {
        let wire = PasskeydErrorCode(rawValue: Int32(truncatingIfNeeded: code))
        let name = wire.protoName
        let grpc = WireErrorCode(rawValue: name).map { Self.code(for: $0) } ?? .unknown
        return RPCError(code: grpc, message: "\(name): \(message)", metadata: [errorCodeKey: "\(name)"])
    }
}
