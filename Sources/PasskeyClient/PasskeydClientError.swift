public import PasskeyProtocol

/// Why a call produced no result. Ceremony failures are not errors: they come back as results with an `errorCode`.
public enum PasskeydClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server answered with a request-level error (`Response.error`): `.malformedRequest`, `.overloaded`,
    /// `.deadlineExceeded`, `.shuttingDown`, ...
    case server(code: PasskeydErrorCode, message: String)
    /// The connection closed before the response arrived (the request may or may not have run).
    case connectionClosed
    /// The connection could not be established.
    case connectFailed(String)
    /// No response within the call's timeout.
    case timeout
    /// The server sent bytes that are not a valid frame or `Response`; the connection is closed.
    case protocolViolation(String)
    /// The encoded request exceeds the frame limit (`PasskeydConnectionConfiguration.maxRequestFrameBytes`).
    case requestTooLarge(bytes: Int, limit: Int)
    /// `close()` was called on the client.
    case clientClosed
    /// The calling task was cancelled before the response arrived (the server may still run the request).
    case cancelled

    public var description: String {
        switch self {
        case let .server(code, message): "server error \(code): \(message)"
        case .connectionClosed: "the connection closed before the response arrived"
        case let .connectFailed(why): "cannot connect: \(why)"
        case .timeout: "no response within the timeout"
        case let .protocolViolation(why): "protocol violation: \(why)"
        case let .requestTooLarge(bytes, limit): "request of \(bytes) bytes exceeds the frame limit of \(limit)"
        case .clientClosed: "the client is closed"
        case .cancelled: "the call was cancelled"
        }
    }
}
