import GRPCCore
import Synchronization

/// `grpc.health.v1.Health` for the whole server ("") and for `passkeyd.v1.Passkeyd`: SERVING until the server starts
/// to drain, NOT_SERVING from then on. Check on any other name is NOT_FOUND; Watch on one sends SERVICE_UNKNOWN (as
/// the protocol says) and waits. When the drain begins every Watch gets NOT_SERVING and then ends, so the calls do
/// not hold the listener's graceful shutdown open.
struct HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol {
    let status: HealthStatus

    static let services: Set<String> = ["", "passkeyd.v1.Passkeyd"]

    func check(
        request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext
    ) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard Self.services.contains(request.service) else {
            throw RPCError(code: .notFound, message: "no service named '\(request.service)'")
        }
        return Self.response(status.draining ? .notServing : .serving)
    }

    func watch(
        request: Grpc_Health_V1_HealthCheckRequest, response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        let known = Self.services.contains(request.service)
        let changes = status.watch()
        for await draining in changes {
            let s: Grpc_Health_V1_HealthCheckResponse.ServingStatus =
                known ? (draining ? .notServing : .serving) : .serviceUnknown
            try await response.write(Self.response(s))
        }
    }

    static func response(_ s: Grpc_Health_V1_HealthCheckResponse.ServingStatus) -> Grpc_Health_V1_HealthCheckResponse {
        var r = Grpc_Health_V1_HealthCheckResponse()
        r.status = s
        return r
    }
}

/// Serving or draining, and the Watch calls to tell when that changes (it changes once).
final class HealthStatus: Sendable {
    private struct State {
        var draining = false
        var next = 0
        var watchers: [Int: AsyncStream<Bool>.Continuation] = [:]
    }
    private let state = Mutex(State())

    var draining: Bool { state.withLock { $0.draining } }

    /// The status now (true: draining), then the change; the sequence ends after the drain began or when the call's
    /// task is cancelled.
    func watch() -> AsyncStream<Bool> {
        let (stream, continuation) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingNewest(2))
        let id: Int? = state.withLock { s in
            continuation.yield(s.draining)
            if s.draining { return nil }
            s.next += 1
            s.watchers[s.next] = continuation
            return s.next
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Every watcher gets NOT_SERVING, then its call ends.
    func beginDraining() {
        let watchers = state.withLock { s in
            s.draining = true
            defer { s.watchers.removeAll() }
            return Array(s.watchers.values)
        }
        for w in watchers {
            w.yield(true)
            w.finish()
        }
    }
}
