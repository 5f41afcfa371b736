public import PasskeyWire

/// Everything the server needs. `passkeyd serve` builds it from its settings table (the PasskeydSettings module);
/// the defaults here are the daemon's defaults.
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
    /// TLS on the TCP listener (never on the Unix socket): PEM certificate chain and private key files. Both or
    /// neither; with them the TCP listener speaks only TLS 1.2 or later.
    public var tlsCertificatePath: String?
    public var tlsPrivateKeyPath: String?
    /// PEM file of the CA(s) that must have signed client certificates (mutual TLS); nil: no client certificate.
    public var tlsClientCAPath: String?
    /// The gRPC (HTTP/2) listener, run by PasskeyGRPC beside this server's listeners: its bind address (an IP
    /// address) and port; nil disables it. The TLS settings above apply to it as to the TCP listener.
    public var grpcHost = "127.0.0.1"
    public var grpcPort: Int?
    /// A frame that has started to arrive must be complete within this many ms, or the connection is closed with
    /// an error (frees clients that trickle bytes, which an idle timer alone never does). Also bounds the TLS
    /// handshake. 0 disables it.
    public var frameTimeoutMs = 10_000
    /// Prometheus text endpoint on 127.0.0.1; nil disables it.
    public var metricsPort: Int?
    public var limits = WireLimits()
    /// Server-wide bytes that partially received frames larger than 64 KiB may reserve. Such a frame reserves its
    /// full length before its buffer grows past what one read brings; a connection that cannot reserve is not read
    /// until another frame completes (back-pressure, not an error). Smaller frames never wait. Without it, 10,000
    /// connections each holding most of a 1 MiB frame would pin 10 GiB.
    public var maxBufferedFrameBytes = 256 << 20
    /// Event-loop threads (verification runs inline on them); 0 means one per core.
    public var threads = 0
    /// Group the frames of one read into one pass and one flush (on by default; off only to measure the difference).
    public var batching = true
    /// Batches with at least this many items run on the worker pool instead of the event loop, so one huge batch
    /// does not hold up the small requests behind it.
    public var offloadBatchItems = 256
    /// Parsed OpenSSL keys kept. Each cached P-256 key costs about 2.3 KB (its EC_KEY holds a copy of the curve's
    /// group), and the cache is also bounded by `KeyCache.defaultBytesPerEntry` × capacity bytes, so the default 50,000
    /// stays under ~190 MiB (~115 MiB of P-256 keys); keys beyond it are rebuilt (~2–3 µs for EC keys) when used.
    public var keyCacheCapacity = 50_000
    /// Milliseconds to wait for in-flight requests on SIGTERM before exiting anyway.
    public var drainTimeoutMs = 10_000
    /// Where issued challenges are recorded as used: in this process, or in Redis (shared by replicas).
    public var challengeStore = ChallengeStoreKind.memory
    /// Records the embedded store keeps; when it is full the earliest-expiring go first and challenges expiring
    /// before those are refused as reused (fail closed).
    public var challengeStoreCapacity = 1_000_000
    /// `redis://[[user]:password@]host[:port][/db]` or `unix:///path?password=...&db=N` (`RedisURL`).
    public var redisURL: String?
    public var redisKeyPrefix = "passkeyd:challenge:"
    /// Connecting to Redis, and each answer, must take at most this long (then UNAVAILABLE and a reconnect).
    public var redisTimeoutMs = 1000
    /// The default lifetime of a minted challenge.
    public var challengeLifetimeMs = 300_000

    public init() {}

    /// `$XDG_RUNTIME_DIR/passkeyd.sock` when /run/passkeyd is not usable, else `/run/passkeyd/passkeyd.sock`.
    public static var defaultSocketPath: String { "/run/passkeyd/passkeyd.sock" }
}

/// `challenge_store`.
public enum ChallengeStoreKind: String, Sendable, CaseIterable {
    case memory
    case redis
}
