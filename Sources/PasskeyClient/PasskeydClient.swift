public import NIOCore
internal import NIOPosix
import Synchronization

/// An async client for passkeyd: a small pool of pipelined connections, opened lazily and used round-robin.
///
/// Calls may run concurrently from any number of tasks. A connection that died is replaced on the next call that
/// lands on its slot. With `retryOnConnectionClosed` (the default) a call whose connection closed before the answer
/// is sent once more on a fresh connection: verification has no side effects on the server, so this is safe. Call
/// `close()` when done: it closes the connections and shuts down the event loop group if the client created it.
///
/// ```swift
/// let client = PasskeydClient(endpoint: .unixDomainSocket(path: "/run/passkeyd/passkeyd.sock"))
/// defer { Task { await client.close() } }
/// let result = try await client.verifyAuthentication(
///     AuthenticationRequest(
///         policy: RelyingPartyPolicy(rpID: "example.com", origins: ["https://example.com"]),
///         challenge: challenge, credentialPublicKey: storedKey, storedSignCount: storedCount,
///         credential: .json(browserResponseText)))
/// if result.isVerified { /* store result.signCount */ } else { /* result.errorCode, e.g. "BAD_SIGNATURE" */ }
/// ```
public final class PasskeydClient: Sendable {
    public let configuration: PasskeydClientConfiguration
    private let group: any EventLoopGroup
    private let ownsGroup: Bool
    private let pool: Mutex<ConnectionPool>

    /// `eventLoopGroup`: the caller's group (left running by `close()`), or nil to create a group of
    /// `configuration.eventLoopThreads` threads (default 1) owned and shut down by the client.
    public init(configuration: PasskeydClientConfiguration, eventLoopGroup: (any EventLoopGroup)? = nil) {
        self.configuration = configuration
        if let eventLoopGroup {
            group = eventLoopGroup
            ownsGroup = false
        } else {
            group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
            ownsGroup = true
        }
        pool = Mutex(ConnectionPool(size: configuration.connections))
    }

    public convenience init(endpoint: PasskeydEndpoint, connections: Int = 4, eventLoopGroup: (any EventLoopGroup)? = nil) {
        self.init(configuration: PasskeydClientConfiguration(endpoint: endpoint, connections: connections), eventLoopGroup: eventLoopGroup)
    }

    /// Closes every connection (pending calls fail with `.connectionClosed`); later calls fail with `.clientClosed`.
    public func close() async {
        let (ready, connecting) = pool.withLock { $0.close() }
        for c in ready { await c.close() }
        for f in connecting {
            if let c = try? await f.get() { await c.close() }
        }
        if ownsGroup { try? await group.shutdownGracefully() }
    }

    /// Runs `body` on a pooled connection, once more on a fresh one if the connection closed under it.
    func withConnection<T>(
        _ body: (PasskeydConnection) async throws(PasskeydClientError) -> T
    ) async throws(PasskeydClientError) -> T {
        let first = try await acquire(avoiding: nil)
        do {
            return try await body(first)
        } catch .connectionClosed where configuration.retryOnConnectionClosed {
            let second = try await acquire(avoiding: first)
            return try await body(second)
        }
    }

    func acquire(avoiding dead: PasskeydConnection?) async throws(PasskeydClientError) -> PasskeydConnection {
        let endpoint = configuration.endpoint
        let settings = configuration.connection
        let group = self.group
        let choice = pool.withLock { pool in
            pool.choose(avoiding: dead) {
                PasskeydConnection.makeConnection(to: endpoint, configuration: settings, eventLoopGroup: group)
            }
        }
        switch choice {
        case let .ready(c):
            return c
        case .closed:
            throw .clientClosed
        case let .connecting(future, slot, started):
            if started {
                future.whenComplete { result in
                    let orphan = self.pool.withLock { $0.settle(slot: slot, future: future, result: result) }
                    if let orphan { orphan.channel.close(promise: nil) }
                }
            }
            do {
                return try await future.get()
            } catch {
                throw .connecting(error)
            }
        }
    }
}
