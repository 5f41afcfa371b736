import GRPCCore
import Metrics

/// The gRPC listener's own metrics, with `listener="grpc"`: calls by rpc and status code, and their duration as the
/// handler saw it. Verdicts, request-level errors, in-flight and connections are the server's shared metrics, as
/// for the framed listeners. Every counter is made at start, so a call takes no lock in the metrics factory.
final class GRPCMetrics: Sendable {
    /// calls[method][status code]
    private let calls: [[Counter]]
    private let durations: [Timer]

    /// The status codes, in `RPCError.Code` order, with OK first.
    static let statusNames = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ]

    init(methods: [String]) {
        calls = methods.map { m in
            Self.statusNames.map { s in
                Counter(label: "passkeyd_grpc_calls_total", dimensions: [("listener", "grpc"), ("method", m), ("status", s)])
            }
        }
        durations = methods.map { m in
            Timer(label: "passkeyd_grpc_call_duration_seconds", dimensions: [("listener", "grpc"), ("method", m)])
        }
    }

    func finished<T>(method: Int, status: Result<T, RPCError>, since started: ContinuousClock.Instant) {
        let code: Int
        switch status {
        case .success: code = 0
        case let .failure(error): code = error.code.rawValue
        }
        if code >= 0, code < Self.statusNames.count { calls[method][code].increment() }
        durations[method].record(duration: ContinuousClock.now - started)
    }
}
