import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import NIOCore
public import PasskeyServer
import Synchronization

/// The optional gRPC listener: `passkeyd.v1.Passkeyd` (raw bytes into the framed protocol's executor) and
/// `grpc.health.v1.Health` over HTTP/2, on the server's event loops, with the server's limits and drain.
///
/// - Address: `grpcHost:grpcPort` of the server's configuration (127.0.0.1 unless told otherwise).
/// - TLS: the TCP listener's certificate, key and client CA (TLS 1.2+; with a client CA, mutual TLS).
/// - Limits: messages up to `maxFrameBytes` (larger: RESOURCE_EXHAUSTED from gRPC, before the executor sees them);
///   concurrent streams per connection up to `maxInFlightPerConnection`; connections counted with the framed ones
///   against `maxConnections` (one past it is closed at once); idle connections closed after `idleTimeoutMs`; the
///   server-wide in-flight limit, the batch limit and the unpack budget as for frames.
/// - Drain: health turns NOT_SERVING and Watch calls end, requests get UNAVAILABLE (SHUTTING_DOWN) while the server
///   waits for every in-flight request, then GOAWAY and a graceful close within what is left of the drain timeout.
public final class GRPCListener: AttachedListener {
    let server: PasskeyServer
    let health = HealthStatus()
    let grpc: GRPCServer<HTTP2ServerTransport.Posix>
    let security: String
    private let serving = Mutex<Task<Void, any Error>?>(nil)

    /// The listener for `server`'s configuration (`grpcPort` must be set). Nothing is bound yet.
    public init(server: PasskeyServer) {
        self.server = server
        let c = server.configuration
        let address: GRPCNIOTransportCore.SocketAddress =
            c.grpcHost.contains(":")
            ? .ipv6(host: c.grpcHost, port: c.grpcPort ?? 0)
            : .ipv4(host: c.grpcHost == "localhost" ? "127.0.0.1" : c.grpcHost, port: c.grpcPort ?? 0)
        let (transportSecurity, security) = Self.transportSecurity(c)
        self.security = security
        let transport = HTTP2ServerTransport.Posix(
            address: address, transportSecurity: transportSecurity, config: Self.transportConfig(server),
            eventLoopGroup: server.eventLoopGroup)
        let methods = PasskeydRawService.methods.map { $0.descriptor.method }
        let services: [any RegistrableRPCService] = [
            PasskeydRawService(server: server, metrics: GRPCMetrics(methods: methods)),
            HealthService(status: health),
        ]
        grpc = GRPCServer(transport: transport, services: services)
    }

    /// Binds and starts serving; returns the bound port (useful with port 0). Throws when it cannot bind or the TLS
    /// files do not load.
    @discardableResult
    public func start() async throws -> Int {
        let grpc = self.grpc
        let executor = EventLoopTaskExecutor(group: server.eventLoopGroup)
        let task = Task(executorPreference: executor) { try await grpc.serve() }
        serving.withLock { $0 = task }
        let address: GRPCNIOTransportCore.SocketAddress
        do {
            address = try await grpc.transport.listeningAddress
        } catch {
            // serve() says why (bind, TLS files); listeningAddress only says it has none.
            if case let .failure(cause) = await task.result { throw cause }
            throw error
        }
        let port = address.ipv4?.port ?? address.ipv6?.port ?? 0
        let c = server.configuration
        server.logger.info("listening", metadata: ["transport": "grpc", "address": "\(c.grpcHost):\(port)", "security": "\(security)"])
        if security == "plain", !Self.isLoopback(c.grpcHost) {
            server.logger.warning(
                "gRPC listener on a non-loopback address without TLS; anyone who can reach it can use it",
                metadata: ["address": "\(c.grpcHost)"])
        }
        return port
    }

    public func draining() async {
        health.beginDraining()
    }

    public func close(timeout: Duration) async {
        grpc.beginGracefulShutdown()
        guard let task = serving.withLock({ $0 }) else { return }
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = await task.result
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !finished {
            task.cancel()
            _ = await task.result
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    static func transportSecurity(
        _ c: ServerConfiguration
    ) -> (HTTP2ServerTransport.Posix.TransportSecurity, String) {
        guard let cert = c.tlsCertificatePath, let key = c.tlsPrivateKeyPath else { return (.plaintext, "plain") }
        let chain: [TLSConfig.CertificateSource] = [.file(path: cert, format: .pem)]
        let privateKey: TLSConfig.PrivateKeySource = .file(path: key, format: .pem)
        guard let ca = c.tlsClientCAPath else {
            return (.tls(certificateChain: chain, privateKey: privateKey), "tls")
        }
        let security = HTTP2ServerTransport.Posix.TransportSecurity.mTLS(certificateChain: chain, privateKey: privateKey) {
            $0.trustRoots = .certificates([.file(path: ca, format: .pem)])
            $0.clientCertificateVerification = .noHostnameVerification
        }
        return (security, "mtls")
    }

    static func transportConfig(_ server: PasskeyServer) -> HTTP2ServerTransport.Posix.Config {
        let limits = server.configuration.limits
        return .defaults { config in
            config.rpc.maxRequestPayloadSize = limits.maxFrameBytes
            config.http2.maxConcurrentStreams = limits.maxInFlightPerConnection
            config.connection.maxIdleTime = .milliseconds(limits.idleTimeoutMs)
            config.channelDebuggingCallbacks.onAcceptTCPConnection = { channel in
                if server.admitConnection() {
                    channel.closeFuture.whenComplete { _ in server.connectionClosed() }
                } else {
                    server.logger.debug("closing a gRPC connection past max_connections")
                    channel.close(promise: nil)
                }
                return channel.eventLoop.makeSucceededVoidFuture()
            }
        }
    }
}
