public import Logging
import Metrics
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
public import PasskeyWire
public import PasskeyWebAuthn
import Prometheus
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The sidecar: Unix-socket and TCP listeners over one event-loop group, limits, graceful drain and reload.
public final class PasskeyServer: Sendable {
    public static let version = "0.2.0"

    let core: ServerCore
    let group: MultiThreadedEventLoopGroup
    private let listeners = Mutex<[Channel]>([])
    private let clients = Mutex<[ObjectIdentifier: Channel]>([:])
    private let boundTCP = Mutex<Int?>(nil)
    /// Listeners of other modules (the gRPC listener) drained with these (`attach`).
    let attached = Mutex<[any AttachedListener]>([])
    private let prometheus: PrometheusCollectorRegistry?

    /// - Parameter prometheus: the registry the process bootstrapped swift-metrics with (for `/metrics`).
    public init(
        configuration: ServerConfiguration, registry: RelyingPartyRegistry, logger: Logger,
        prometheus: PrometheusCollectorRegistry? = nil
    ) {
        let threads = configuration.threads > 0 ? configuration.threads : System.coreCount
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        var loops: [EventLoop] = []
        for loop in group.makeIterator() { loops.append(loop) }
        self.core = ServerCore(
            configuration: configuration, registry: registry, version: Self.version, logger: logger, loops: loops)
        self.prometheus = prometheus
    }

    /// The TCP port actually bound (useful with `tcpPort = 0`).
    public var tcpPort: Int? { boundTCP.withLock { $0 } }

    public var registry: RelyingPartyRegistry { core.registry }

    /// Binds every configured listener.
    public func start() async throws {
        core.offloadPool.start()
        let config = core.configuration
        if let problem = core.redisProblem { throw ServerError(problem) }
        if let redis = core.redis {
            redis.start()
            core.logger.info(
                "challenge store", metadata: ["store": "redis", "url": "\(redis.options.url)", "key_prefix": "\(redis.options.keyPrefix)"])
        } else {
            core.logger.info("challenge store", metadata: ["store": "memory", "capacity": "\(config.challengeStoreCapacity)"])
        }
        if let path = config.unixSocketPath {
            try Self.removeStaleSocket(path)
            let allowed = config.allowedPeerUIDs
            let check: PeerCheck? = allowed.isEmpty ? nil : PeerCheck(allowedUIDs: allowed)
            let channel = try await bootstrap(checkPeer: check).bind(unixDomainSocketPath: path).get()
            guard chmod(path, mode_t(config.unixSocketMode)) == 0 else {
                throw ServerError("cannot set mode \(String(config.unixSocketMode, radix: 8)) on \(path)")
            }
            listeners.withLock { $0.append(channel) }
            core.logger.info("listening", metadata: ["transport": "unix", "path": "\(path)"])
        }
        if let port = config.tcpPort {
            let tls = try Self.makeTLSContext(config)
            let channel = try await bootstrap(checkPeer: nil, tls: tls).bind(host: config.tcpHost, port: port).get()
            let bound = channel.localAddress?.port
            boundTCP.withLock { $0 = bound }
            listeners.withLock { $0.append(channel) }
            let security = tls == nil ? "plain" : (config.tlsClientCAPath == nil ? "tls" : "mtls")
            core.logger.info("listening", metadata: ["transport": "tcp", "address": "\(config.tcpHost):\(bound ?? port)", "security": "\(security)"])
            if tls == nil, !Self.isLoopback(config.tcpHost) {
                core.logger.warning("TCP listener on a non-loopback address without TLS; anyone who can reach it can use it", metadata: ["address": "\(config.tcpHost)"])
            }
        }
        if let port = config.metricsPort, let prometheus {
            let core = self.core
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(
                            MetricsHTTPHandler(registry: prometheus, refresh: { core.metrics.observe(cache: core.keyCache) }))
                    }
                }
                .bind(host: "127.0.0.1", port: port).get()
            listeners.withLock { $0.append(channel) }
            core.logger.info("metrics", metadata: ["address": "127.0.0.1:\(channel.localAddress?.port ?? port)"])
        }
    }

    /// The TLS context for the TCP listener, or nil when TLS is not configured. TLS 1.2 or later only; with a client
    /// CA, a client certificate that chains to it is required (no certificate, or another CA's, fails the handshake).
    /// NIOSSL brings its own BoringSSL: it carries the transport only; verification stays on OpenSSL (PasskeyCrypto).
    static func makeTLSContext(_ config: ServerConfiguration) throws -> NIOSSLContext? {
        guard let certPath = config.tlsCertificatePath, let keyPath = config.tlsPrivateKeyPath else {
            if config.tlsCertificatePath != nil || config.tlsPrivateKeyPath != nil || config.tlsClientCAPath != nil {
                throw ServerError("TLS needs both a certificate (--tls-cert) and its private key (--tls-key)")
            }
            return nil
        }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certPath)
            guard !chain.isEmpty else { throw ServerError("no certificate in \(certPath)") }
            let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            var tls: TLSConfiguration
            if let caPath = config.tlsClientCAPath {
                let roots = try NIOSSLCertificate.fromPEMFile(caPath)
                guard !roots.isEmpty else { throw ServerError("no certificate in \(caPath)") }
                tls = .makeServerConfigurationWithMTLS(
                    certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key),
                    trustRoots: .certificates(roots))
                tls.certificateVerification = .noHostnameVerification
                tls.sendCANameList = true
            } else {
                tls = .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
                tls.certificateVerification = .none
            }
            tls.minimumTLSVersion = .tlsv12
            tls.renegotiationSupport = .none
            return try NIOSSLContext(configuration: tls)
        } catch let error as ServerError {
            throw error
        } catch {
            throw ServerError("cannot set up TLS (certificate \(certPath), key \(keyPath)\(config.tlsClientCAPath.map { ", client CA \($0)" } ?? "")): \(error)")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    private func bootstrap(checkPeer: PeerCheck?, tls: NIOSSLContext? = nil) -> ServerBootstrap {
        let core = self.core
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 << 10, high: 1 << 20))
            .childChannelInitializer { channel in
                let id = ObjectIdentifier(channel)
                self.clients.withLock { $0[id] = channel }
                channel.closeFuture.whenComplete { _ in _ = self.clients.withLock { $0.removeValue(forKey: id) } }
                return channel.eventLoop.makeCompletedFuture {
                    try ServerPipeline.configure(channel.pipeline.syncOperations, core: core, checkPeer: checkPeer, tls: tls)
                }
            }
    }

    /// Stops accepting, answers every request already read, then closes connections. Returns false if requests
    /// were still in flight when `timeout` ran out.
    @discardableResult
    public func drain(timeout: Duration) async -> Bool {
        core.state.draining.store(true, ordering: .relaxed)
        core.logger.info("draining")
        let others = attached.withLock { $0 }
        for l in others { await l.draining() }
        let servers = listeners.withLock { l in
            defer { l.removeAll() }
            return l
        }
        for s in servers { try? await s.close() }
        if let path = core.configuration.unixSocketPath { unlink(path) }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while core.state.inFlight.load(ordering: .relaxed) > 0, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        let finished = core.state.inFlight.load(ordering: .relaxed) <= 0
        // Every response already written leaves before the close: writes complete in order.
        let open = clients.withLock { Array($0.values) }
        for c in open {
            let done = c.eventLoop.makePromise(of: Void.self)
            c.writeAndFlush(c.allocator.buffer(capacity: 0), promise: done)
            done.futureResult.whenComplete { _ in c.close(promise: nil) }
        }
        for c in open { try? await c.closeFuture.get() }
        // At least a second for attached listeners to say goodbye (HTTP/2 GOAWAY), even when the wait used it all.
        let left = max(deadline - clock.now, .seconds(1))
        for l in others { await l.close(timeout: left) }
        core.logger.info("drained", metadata: ["complete": "\(finished)"])
        return finished
    }

    /// Replaces the named relying parties (SIGHUP). In-flight requests keep the party they already resolved.
    public func reload(relyingParties: [String: RelyingParty]) {
        core.registry.replaceNamed(relyingParties)
        core.logger.info("reloaded", metadata: ["relying_parties": "\(relyingParties.count)"])
    }

    public func shutdown() async {
        await core.redis?.stop()
        try? await group.shutdownGracefully()
        try? await core.offloadPool.shutdownGracefully()
    }

    static func removeStaleSocket(_ path: String) throws {
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFSOCK else {
                throw ServerError("\(path) exists and is not a socket; refusing to replace it")
            }
            unlink(path)
        }
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

/// The Unix-socket peer-UID allow-list.
struct PeerCheck: Sendable {
    let allowedUIDs: [UInt32]
}
