public import NIOCore
internal import PasskeyProtocol
internal import NIOPosix
import Synchronization

/// One connection to passkeyd: a NIO channel shared by any number of concurrent calls (pipelined).
///
/// Every call gets a fresh request id; responses are matched by id, so they may arrive in any order. When the
/// connection ends, every pending call fails with `.connectionClosed` (or the error that ended it). A connection is
/// never reopened: make a new one, or use `PasskeydClient`, which does.
public final class PasskeydConnection: Sendable {
    public let endpoint: PasskeydEndpoint
    public let configuration: PasskeydConnectionConfiguration
    let channel: any Channel
    private let nextID = Atomic<UInt64>(1)
    private let inFlight = Atomic<Int>(0)
    private let outbox = Mutex(Outbox())

    /// Requests waiting for the event loop. Only the caller that finds the outbox idle wakes the loop, which then
    /// writes everything queued and flushes once: concurrent callers share one wakeup and one `writev`.
    private struct Outbox {
        var requests: [OutboundRequest] = []
        var drainScheduled = false
    }

    init(channel: any Channel, endpoint: PasskeydEndpoint, configuration: PasskeydConnectionConfiguration) {
        self.channel = channel
        self.endpoint = endpoint
        self.configuration = configuration
    }

    /// Connects to `endpoint` on one of `eventLoopGroup`'s loops.
    public static func connect(
        to endpoint: PasskeydEndpoint, configuration: PasskeydConnectionConfiguration = .init(),
        eventLoopGroup: any EventLoopGroup
    ) async throws(PasskeydClientError) -> PasskeydConnection {
        do {
            return try await makeConnection(to: endpoint, configuration: configuration, eventLoopGroup: eventLoopGroup).get()
        } catch {
            throw PasskeydClientError.connecting(error)
        }
    }

    static func makeConnection(
        to endpoint: PasskeydEndpoint, configuration: PasskeydConnectionConfiguration, eventLoopGroup: any EventLoopGroup
    ) -> EventLoopFuture<PasskeydConnection> {
        let maximum = configuration.maxResponseFrameBytes
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(maximumPayload: maximum)))
                    try channel.pipeline.syncOperations.addHandler(ResponseRouter())
                }
            }
        let connected: EventLoopFuture<any Channel> =
            switch endpoint {
            case let .unixDomainSocket(path): bootstrap.connect(unixDomainSocketPath: path)
            case let .tcp(host, port):
                bootstrap.channelOption(.socketOption(.tcp_nodelay), value: 1).connect(host: host, port: port)
            }
        return connected.map { PasskeydConnection(channel: $0, endpoint: endpoint, configuration: configuration) }
    }

    /// False once the connection has ended; calls on it then fail with `.connectionClosed`.
    public var isActive: Bool { channel.isActive }

    /// Calls sent and not yet answered.
    public var pendingCalls: Int { inFlight.load(ordering: .relaxed) }

    /// Closes the connection; pending calls fail with `.connectionClosed`.
    public func close() async {
        try? await channel.close()
    }

    /// Sends one request and waits for its response payload.
    func roundTrip(_ body: PasskeydRequest, timeout: Duration?) async throws(PasskeydClientError) -> ByteBuffer {
        guard channel.isActive else { throw .connectionClosed }
        let limit = timeout ?? configuration.requestTimeout
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        var deadlineMs: UInt32 = 0
        if configuration.sendDeadline, let limit {
            let ms = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
            deadlineMs = UInt32(clamping: max(1, ms))
        }
        let frame = try Self.frame(
            body, id: id, deadlineMs: deadlineMs, allocator: channel.allocator, maxPayload: configuration.maxRequestFrameBytes)
        let response = channel.eventLoop.makePromise(of: ByteBuffer.self)
        inFlight.wrappingAdd(1, ordering: .relaxed)
        defer { inFlight.wrappingSubtract(1, ordering: .relaxed) }
        send(OutboundRequest(id: id, frame: frame, response: response, timeout: limit.map { TimeAmount($0) }))
        do {
            // Cancelling the caller ends the wait; the server may still run the request (its answer is dropped).
            return try await withTaskCancellationHandler {
                try await response.futureResult.get()
            } onCancel: {
                response.fail(PasskeydClientError.cancelled)
            }
        } catch let e as PasskeydClientError {
            throw e
        } catch {
            throw .connectionClosed
        }
    }

    private func send(_ request: OutboundRequest) {
        let wake = outbox.withLock { o in
            o.requests.append(request)
            if o.drainScheduled { return false }
            o.drainScheduled = true
            return true
        }
        if wake { channel.eventLoop.execute { self.drainOutbox() } }
    }

    /// On the event loop: hands every queued request to the router, then flushes once.
    private func drainOutbox() {
        let batch = outbox.withLock { o in
            o.drainScheduled = false
            let taken = o.requests
            o.requests = []
            return taken
        }
        // Closing happens on this loop too, so an active channel still has its router, which fails whatever it
        // accepted if the connection ends later; an inactive one may have lost its pipeline already.
        guard channel.isActive else {
            for r in batch { r.response.fail(PasskeydClientError.connectionClosed) }
            return
        }
        for r in batch { channel.write(r, promise: nil) }
        channel.flush()
    }

    /// Sends one request and decodes its response on the calling thread.
    func call(_ body: PasskeydRequest, timeout: Duration?) async throws(PasskeydClientError) -> PasskeydResponse {
        let payload = try await roundTrip(body, timeout: timeout)
        return try PasskeydClientError.decode(payload)
    }

    /// The request packed straight into one buffer (header + payload, no intermediate copy of the encoding).
    static func frame(
        _ body: PasskeydRequest, id: UInt64, deadlineMs: UInt32, allocator: ByteBufferAllocator, maxPayload: Int
    ) throws(PasskeydClientError) -> ByteBuffer {
        do throws(RequestTooLarge) {
            let encoded = try EncodedRequest(body, id: id, deadlineMs: deadlineMs, maxPayload: maxPayload)
            var buffer = allocator.buffer(capacity: encoded.frameSize)
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: encoded.frameSize) { encoded.writeFrame(into: $0) }
            return buffer
        } catch {
            throw .requestTooLarge(bytes: error.bytes, limit: error.limit)
        }
    }
}

extension PasskeydClientError {
    /// Decodes a response payload; a request-level error is thrown as `.server`, an unreadable payload as
    /// `.protocolViolation`.
    static func decode(_ payload: ByteBuffer) throws(PasskeydClientError) -> PasskeydResponse {
        try payload.withUnsafeReadableBytes { (p) throws(PasskeydClientError) in try decode(p) }
    }

    static func decode(_ payload: UnsafeRawBufferPointer) throws(PasskeydClientError) -> PasskeydResponse {
        let decoded = Result { () throws(ResponseDecodingError) in try ResponseDecoder.decode(payload) }
        switch decoded {
        case let .success(.error(code, message)): throw .server(code: code, message: message)
        case let .success(response): return response
        case let .failure(e): throw .protocolViolation(e.description)
        }
    }

    /// Maps a bootstrap failure.
    static func connecting(_ error: any Error) -> PasskeydClientError {
        if let e = error as? PasskeydClientError { return e }
        return .connectFailed(String(describing: error))
    }
}
