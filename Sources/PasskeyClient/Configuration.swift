/// Where a passkeyd server listens.
public enum PasskeydEndpoint: Sendable, Hashable, CustomStringConvertible {
    case unixDomainSocket(path: String)
    case tcp(host: String, port: Int)

    public var description: String {
        switch self {
        case let .unixDomainSocket(path): "unix:\(path)"
        case let .tcp(host, port): "tcp:\(host):\(port)"
        }
    }
}

/// Settings of one connection.
public struct PasskeydConnectionConfiguration: Sendable {
    /// Per-call timeout when the call does not give one; nil waits forever.
    public var requestTimeout: Duration? = .seconds(10)
    public var connectTimeout: Duration = .seconds(5)
    /// Send the timeout as `Request.deadline_ms`, so the server skips work nobody will wait for.
    public var sendDeadline = true
    /// Requests whose frame would exceed this are refused locally (`.requestTooLarge`) instead of making the server
    /// close the connection. Matches the server's default `max_frame_bytes`.
    public var maxRequestFrameBytes = 1 << 20
    /// Largest response payload accepted; a larger frame is a protocol violation and closes the connection.
    public var maxResponseFrameBytes = 64 << 20

    public init() {}
}

/// Settings of a `PasskeydClient`.
public struct PasskeydClientConfiguration: Sendable {
    public var endpoint: PasskeydEndpoint
    /// Connections in the pool, opened lazily and used round-robin.
    public var connections: Int
    public var connection = PasskeydConnectionConfiguration()
    /// Verification has no side effects on the server, so a call that failed with `.connectionClosed` (the connection
    /// died before its response arrived) is sent once more on a fresh connection. Health and info calls are retried
    /// the same way. Turn off to see every connection loss.
    public var retryOnConnectionClosed = true
    /// Threads of the event loop group the client creates when it is not given one.
    public var eventLoopThreads = 1

    public init(endpoint: PasskeydEndpoint, connections: Int = 4) {
        self.endpoint = endpoint
        self.connections = max(1, connections)
    }
}
