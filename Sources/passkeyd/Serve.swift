import ArgumentParser
import Dispatch
import Logging
import Metrics
import PasskeyRequests
import PasskeyServer
import PasskeyWebAuthn
import PasskeyWire
import Prometheus

#if canImport(Glibc)
    import Glibc
#endif

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the passkeyd sidecar.",
        discussion: """
            Listens on a Unix socket (and, when --tcp-port is given, on TCP bound to 127.0.0.1) for length-prefixed
            protobuf requests (Protos/README.md). Every setting can also come from the environment (PASSKEYD_ and the
            option name in capitals, e.g. PASSKEYD_UNIX_SOCKET, PASSKEYD_TCP_PORT) or from the config file
            (--config, JSON, with the option names in snake_case, plus named "relying_parties"). Precedence: flag,
            environment, config file, default.

            TLS: --tls-cert and --tls-key put the TCP listener on TLS 1.2+; --tls-client-ca also requires client
            certificates signed by that CA (mutual TLS). The Unix socket is never TLS: its file mode and
            --allowed-peer-uids guard it.

            Signals: SIGTERM/SIGINT stop accepting, answer everything already read, then exit (within
            --drain-timeout-ms). SIGHUP re-reads the config file's relying parties and trust anchors.

            Examples:
              passkeyd serve --unix-socket /tmp/passkeyd.sock
              passkeyd serve --config /etc/passkeyd/config.json --tcp-port 7800 --metrics-port 9464
            """)

    @Option(help: "Unix socket path (default /run/passkeyd/passkeyd.sock, or $XDG_RUNTIME_DIR/passkeyd.sock if /run/passkeyd is missing).")
    var unixSocket: String?
    @Option(help: "Socket file mode, octal (default 660).")
    var socketMode: String?
    @Option(help: "Comma-separated peer UIDs allowed on the Unix socket (default: anyone the file mode lets in).")
    var allowedPeerUids: String?
    @Option(help: "Also listen on TCP at this port (0 picks one).")
    var tcpPort: Int?
    @Option(help: "TCP bind address (default 127.0.0.1).")
    var tcpHost: String?
    @Option(help: "PEM certificate chain: the TCP listener speaks TLS 1.2+ only (never the Unix socket). Needs --tls-key.")
    var tlsCert: String?
    @Option(help: "PEM private key of --tls-cert.")
    var tlsKey: String?
    @Option(help: "PEM CA certificate(s): TCP clients must present a certificate signed by one (mutual TLS).")
    var tlsClientCa: String?
    @Option(help: "Serve Prometheus metrics at http://127.0.0.1:PORT/metrics.")
    var metricsPort: Int?
    @Option(help: "JSON config file (server settings and named relying parties); re-read on SIGHUP.")
    var config: String?
    @Option(help: "Event-loop threads (default: one per core).")
    var threads: Int?
    @Option(help: "Largest accepted frame payload in bytes (default 1048576).")
    var maxFrameBytes: Int?
    @Option(help: "Requests in flight per connection before reading pauses (default 1024).")
    var maxInFlightPerConnection: Int?
    @Option(help: "Requests in flight server-wide before OVERLOADED (default 65536).")
    var maxInFlight: Int?
    @Option(help: "Simultaneous connections (default 10000).")
    var maxConnections: Int?
    @Option(help: "Items per batch request (default 4096).")
    var maxBatchItems: Int?
    @Option(help: "Close connections idle this long, in ms (default 60000).")
    var idleTimeoutMs: Int?
    @Option(help: "A frame that has begun to arrive must complete within this many ms, else the connection is closed; also bounds the TLS handshake (default 10000, 0 disables).")
    var frameTimeoutMs: Int?
    @Option(help: "Deadline for requests that give none, in ms (default 5000).")
    var defaultDeadlineMs: Int?
    @Option(help: "How long SIGTERM waits for in-flight requests, in ms (default 10000).")
    var drainTimeoutMs: Int?
    @Option(help: "Parsed public keys kept, ~2.4 KB each (default 50000, about 120 MiB).")
    var keyCacheCapacity: Int?
    @Option(help: "Batches with this many items run on the worker pool (default 256).")
    var offloadBatchItems: Int?
    @Option(help: "Handle all frames of one read together and flush once: on|off (default on).")
    var batching: String?
    @Option(help: "trace, debug, info, notice, warning, error, critical (default info).")
    var logLevel: String?

    func run() async throws {
        let env = Environment()
        let configPath = config ?? env["CONFIG"]
        var file = ConfigFile()
        if let configPath {
            do {
                file = try ConfigFile(path: configPath)
            } catch {
                printError("passkeyd: \(error.description)")
                throw ExitCode(2)
            }
        }
        func int(_ flag: Int?, _ name: String) -> Int? {
            flag ?? env[name.uppercased()].flatMap { Int($0) } ?? file.settings[name].map { Int($0) }
        }
        func str(_ flag: String?, _ name: String) -> String? { flag ?? env[name.uppercased()] ?? file.strings[name] }

        let levelName = str(logLevel, "log_level") ?? "info"
        guard let level = Logger.Level(rawValue: levelName) else {
            printError("passkeyd: unknown log level '\(levelName)'")
            throw ExitCode(2)
        }
        LoggingSystem.bootstrap { label in LogfmtLogHandler(label: label, level: level) }
        let prometheus = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: prometheus)
        // Verifications take tens of microseconds: buckets from 25 µs to 1 s.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(100), .milliseconds(250), .seconds(1),
        ]
        factory.defaultValueHistogramBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096]
        MetricsSystem.bootstrap(factory)
        let logger = Logger(label: "passkeyd")

        var c = ServerConfiguration()
        c.unixSocketPath = str(unixSocket, "unix_socket") ?? Self.defaultSocketPath(env)
        if let mode = str(socketMode, "socket_mode") {
            guard let m = UInt32(mode, radix: 8) else {
                printError("passkeyd: socket mode '\(mode)' is not octal")
                throw ExitCode(2)
            }
            c.unixSocketMode = m
        }
        if let uids = str(allowedPeerUids, "allowed_peer_uids") {
            c.allowedPeerUIDs = uids.split(separator: ",").compactMap { UInt32($0.trimmingSpaces) }
        } else if let uids = file.allowedPeerUIDs {
            c.allowedPeerUIDs = uids
        }
        c.tcpHost = str(tcpHost, "tcp_host") ?? c.tcpHost
        c.tcpPort = int(tcpPort, "tcp_port")
        c.metricsPort = int(metricsPort, "metrics_port")
        c.tlsCertificatePath = str(tlsCert, "tls_cert")
        c.tlsPrivateKeyPath = str(tlsKey, "tls_key")
        c.tlsClientCAPath = str(tlsClientCa, "tls_client_ca")
        if c.tlsCertificatePath != nil || c.tlsPrivateKeyPath != nil || c.tlsClientCAPath != nil {
            // Fail closed: a half-configured TLS setup, or TLS with nothing to protect, is an error, not a fallback.
            guard c.tlsCertificatePath != nil, c.tlsPrivateKeyPath != nil else {
                printError("passkeyd: TLS needs both --tls-cert and --tls-key (--tls-client-ca adds client certificates)")
                throw ExitCode(2)
            }
            guard c.tcpPort != nil else {
                printError("passkeyd: --tls-cert/--tls-key apply to the TCP listener; give --tcp-port too")
                throw ExitCode(2)
            }
        }
        c.threads = int(threads, "threads") ?? 0
        c.limits.maxFrameBytes = int(maxFrameBytes, "max_frame_bytes") ?? c.limits.maxFrameBytes
        c.limits.maxInFlightPerConnection = int(maxInFlightPerConnection, "max_in_flight_per_connection") ?? c.limits.maxInFlightPerConnection
        c.limits.maxInFlight = int(maxInFlight, "max_in_flight") ?? c.limits.maxInFlight
        c.limits.maxConnections = int(maxConnections, "max_connections") ?? c.limits.maxConnections
        c.limits.maxBatchItems = int(maxBatchItems, "max_batch_items") ?? c.limits.maxBatchItems
        c.limits.idleTimeoutMs = int(idleTimeoutMs, "idle_timeout_ms") ?? c.limits.idleTimeoutMs
        c.limits.defaultDeadlineMs = int(defaultDeadlineMs, "default_deadline_ms") ?? c.limits.defaultDeadlineMs
        c.frameTimeoutMs = int(frameTimeoutMs, "frame_timeout_ms") ?? c.frameTimeoutMs
        guard c.frameTimeoutMs >= 0 else {
            printError("passkeyd: --frame-timeout-ms must be 0 (off) or positive")
            throw ExitCode(2)
        }
        c.drainTimeoutSeconds = Double(int(drainTimeoutMs, "drain_timeout_ms") ?? 10_000) / 1000
        c.keyCacheCapacity = int(keyCacheCapacity, "key_cache_capacity") ?? c.keyCacheCapacity
        c.offloadBatchItems = int(offloadBatchItems, "offload_batch_items") ?? c.offloadBatchItems
        if let b = str(batching, "batching") {
            c.batching = b == "on" || b == "true"
        } else if let b = file.flags["batching"] {
            c.batching = b
        }
        c.configFile = configPath

        let registry = RelyingPartyRegistry(named: file.relyingParties)
        let server = PasskeyServer(configuration: c, registry: registry, logger: logger, prometheus: prometheus)
        do {
            try await server.start()
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            await server.shutdown()
            throw ExitCode(1)
        }
        logger.info("started", metadata: ["version": "\(PasskeyServer.version)", "relying_parties": "\(file.relyingParties.count)"])

        // Signals arrive on a dispatch queue and are turned into an async stream the command waits on.
        let (events, continuation) = AsyncStream<Int32>.makeStream()
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { continuation.yield(sig) }
            source.resume()
            sources.append(source)
        }
        for await sig in events {
            if sig == SIGHUP {
                guard let configPath else {
                    logger.warning("SIGHUP without a config file: nothing to reload")
                    continue
                }
                do {
                    let fresh = try ConfigFile(path: configPath)
                    server.reload(relyingParties: fresh.relyingParties)
                } catch {
                    logger.error("reload failed; keeping the previous configuration", metadata: ["error": "\(error.description)"])
                }
                continue
            }
            logger.info("signal received, draining", metadata: ["signal": "\(sig == SIGTERM ? "TERM" : "INT")"])
            let complete = await server.drain(timeout: .milliseconds(Int(c.drainTimeoutSeconds * 1000)))
            await server.shutdown()
            for s in sources { s.cancel() }
            if !complete { throw ExitCode(1) }
            return
        }
    }

    static func defaultSocketPath(_ env: Environment) -> String {
        if access("/run/passkeyd", W_OK) == 0 { return ServerConfiguration.defaultSocketPath }
        if let runtime = env.raw("XDG_RUNTIME_DIR") { return runtime + "/passkeyd.sock" }
        return ServerConfiguration.defaultSocketPath
    }
}

/// `PASSKEYD_*` environment variables.
struct Environment {
    subscript(name: String) -> String? { raw("PASSKEYD_" + name) }
    func raw(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}

extension Substring {
    var trimmingSpaces: String { String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()) }
}
