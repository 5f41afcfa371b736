public import PasskeyWire

/// Everything `passkeyd serve` needs; built from flags, environment and the config file (in that precedence).
public struct ServerConfiguration: Sendable {
    /// Unix socket path; nil disables the Unix listener.
    public var unixSocketPath: String?
    /// File mode of the socket (e.g. 0o660).
    public var unixSocketMode: UInt32 = 0o660
    /// When non-empty, only these peer UIDs (SO_PEERCRED) may use the Unix socket.
    public var allowedPeerUIDs: [UInt32] = []
    public var tcpHost = "127.0.0.1"
    /// nil disables TCP.
    public var tcpPort: Int?
    /// Prometheus text endpoint on 127.0.0.1; nil disables it.
    public var metricsPort: Int?
    public var limits = WireLimits()
    /// Event-loop threads (verification runs inline on them); 0 means one per core.
    public var threads = 0
    /// Group the frames of one read into one pass and one flush (on by default; off only to measure the difference).
    public var batching = true
    /// Batches with at least this many items run on the worker pool instead of the event loop, so one huge batch
    /// does not hold up the small requests behind it.
    public var offloadBatchItems = 256
    public var keyCacheCapacity = 100_000
    /// Seconds to wait for in-flight requests on SIGTERM before exiting anyway.
    public var drainTimeoutSeconds = 10.0
    /// Config file (relying parties, trust anchors); re-read on SIGHUP.
    public var configFile: String?

    public init() {}

    /// `$XDG_RUNTIME_DIR/passkeyd.sock` when /run/passkeyd is not usable, else `/run/passkeyd/passkeyd.sock`.
    public static var defaultSocketPath: String { "/run/passkeyd/passkeyd.sock" }
}
