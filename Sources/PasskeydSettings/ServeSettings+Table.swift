import PasskeyWire  // WireLimits, the fields of server.limits

extension ServeSettings {
    /// Every setting of `passkeyd serve`. Adding one is one entry here (and, if it is new, a field to store it in);
    /// flags, environment, config file, --help, validation, reload warnings and the table-driven tests follow from it.
    public static let table: [Setting] = [
        .text(
            "config", maxBytes: pathMax, \.configPath, placeholder: "path", default: "none", inConfigFile: false,
            "JSON config file: these settings by their snake_case names, plus named \"relying_parties\". SIGHUP re-reads its relying parties; other changes need a restart."
        ),
        .text(
            "unix_socket", maxBytes: 107, \.server.unixSocketPath, placeholder: "path",
            default: "/run/passkeyd/passkeyd.sock, or $XDG_RUNTIME_DIR/passkeyd.sock if /run/passkeyd is not writable",
            "Unix socket path."),
        .octal("socket_mode", 0...0o777, \.server.unixSocketMode, "File mode of the Unix socket."),
        .uids(
            "allowed_peer_uids", \.server.allowedPeerUIDs, default: "none: anyone the socket's file mode lets in",
            "Only these peer UIDs (SO_PEERCRED) may use the Unix socket. An empty or partly invalid list is an error, never \"no check\"."
        ),
        .text("tcp_host", maxBytes: 255, \.server.tcpHost, placeholder: "host", "TCP bind address."),
        .integer(
            "tcp_port", 0...65535, \.server.tcpPort, default: "none (no TCP listener)",
            "Also listen on TCP at this port; 0 picks a free one (logged)."),
        .address("grpc_host", \.server.grpcHost, "gRPC listener bind address: an IPv4 or IPv6 address, or localhost."),
        .integer(
            "grpc_port", 0...65535, \.server.grpcPort, default: "none (no gRPC listener)",
            "Also serve passkeyd.v1.Passkeyd and grpc.health.v1.Health over gRPC (HTTP/2) at this port; 0 picks a free one (logged). tls_cert, tls_key and tls_client_ca apply to it as to TCP."
        ),
        .text(
            "tls_cert", maxBytes: pathMax, \.server.tlsCertificatePath, placeholder: "path", default: "none (plain TCP)",
            "PEM certificate chain: the TCP and gRPC listeners speak TLS 1.2+ only (never the Unix socket). Needs tls_key and tcp_port or grpc_port."
        ),
        .text("tls_key", maxBytes: pathMax, \.server.tlsPrivateKeyPath, placeholder: "path", default: "none", "PEM private key of tls_cert."),
        .text(
            "tls_client_ca", maxBytes: pathMax, \.server.tlsClientCAPath, placeholder: "path", default: "none",
            "PEM CA certificate(s): TCP and gRPC clients must present a certificate signed by one (mutual TLS)."),
        .integer(
            "metrics_port", 0...65535, \.server.metricsPort, default: "none (no metrics endpoint)",
            "Serve Prometheus metrics at http://127.0.0.1:PORT/metrics; 0 picks a free port (logged)."),
        .integer("threads", 0...1024, \.server.threads, note: "0: one per core", "Event-loop threads."),
        .integer(
            "max_frame_bytes", 1024...(64 << 20), \.server.limits.maxFrameBytes,
            "Largest accepted frame payload, in bytes; larger frames are refused from their header."),
        .integer(
            "max_in_flight_per_connection", 1...65536, \.server.limits.maxInFlightPerConnection,
            "Requests in flight on one connection before the server stops reading it."),
        .integer(
            "max_in_flight", 1...(1 << 24), \.server.limits.maxInFlight,
            "Requests in flight server-wide; beyond it requests are answered OVERLOADED."),
        .integer("max_connections", 1...1_000_000, \.server.limits.maxConnections, "Simultaneous connections."),
        .integer("max_batch_items", 1...65536, \.server.limits.maxBatchItems, "Items per batch request (BATCH_TOO_LARGE above)."),
        .integer(
            "max_buffered_frame_bytes", (1 << 20)...(1 << 34), \.server.maxBufferedFrameBytes,
            "Server-wide bytes of partly received frames; a connection whose frame cannot reserve its size stops being read until others finish."),
        .integer(
            "offload_batch_items", 1...65536, \.server.offloadBatchItems,
            "Batches with at least this many items run on the worker pool, not the event loop."),
        .integer("idle_timeout_ms", 100...86_400_000, \.server.limits.idleTimeoutMs, "Close connections idle this long, in ms."),
        .integer(
            "frame_timeout_ms", 0...3_600_000, \.server.frameTimeoutMs,
            "A frame that has begun to arrive must complete within this many ms, else the connection is closed; also bounds the TLS handshake. 0 disables it."
        ),
        .integer(
            "default_deadline_ms", 1...3_600_000, \.server.limits.defaultDeadlineMs,
            "Deadline for requests that give none, in ms."),
        .integer(
            "drain_timeout_ms", 0...3_600_000, \.server.drainTimeoutMs,
            "How long SIGTERM/SIGINT wait for requests in flight, in ms; past it the daemon exits with status 1."),
        .integer(
            "key_cache_capacity", 0...10_000_000, \.server.keyCacheCapacity,
            "Parsed public keys kept; the cache also holds at most 4,000 bytes per entry of capacity (a P-256 key costs ~2.3 KB; a miss rebuilds an EC key in ~2–3 µs). 0 disables it."),
        .boolean(
            "batching", \.server.batching,
            "Handle all frames of one read together and flush once (off only to measure the difference)."),
        .choice("log_level", \.logLevel, "Least severe level logged."),
        .text(
            "metadata_blob_file", maxBytes: pathMax, \.metadataBLOBPath, placeholder: "path", default: "none (no FIDO metadata)",
            "FIDO Metadata Service v3 BLOB (blob.jwt from https://mds3.fidoalliance.org/), verified against metadata_root_cert_file at start (a BLOB that does not verify stops the daemon) and re-read on SIGHUP (one that fails then keeps the previous BLOB). Its entries' roots anchor attestation and its status reports refuse compromised authenticators. docs/metadata.md says how to refresh it."
        ),
        .text(
            "metadata_root_cert_file", maxBytes: pathMax, \.metadataRootCertificatePath, placeholder: "path", default: "none",
            "PEM file of the root certificate(s) the BLOB's x5c chain must reach (the FIDO Alliance's MDS root). Needs metadata_blob_file; re-read on SIGHUP."
        ),
        .paths(
            "metadata_crl_files", maxBytes: pathMax, maxCount: 16, \.metadataCRLPaths, placeholder: "path",
            default: "none (no revocation checking)",
            "CRL files (PEM or DER) for the BLOB's chain: then every certificate of the chain must be covered by a current CRL from its issuer and not be revoked. Comma-separated; a JSON array in the file. Needs metadata_blob_file; re-read on SIGHUP."
        ),
        .text(
            "challenge_keys_file", maxBytes: pathMax, \.challengeKeysPath, placeholder: "path",
            default: "none: an ephemeral key made at start (this process only, lost on restart, not shared with replicas)",
            "JSON file {\"mint\": \"name\", \"keys\": {\"name\": \"base64 secret of 32+ bytes\", ...}}: the keys that mint and check issued challenges. Mode 600 or 640 (refused otherwise). Re-read on SIGHUP (a file that fails then keeps the running keys); keep the previous key listed until its challenges have expired."
        ),
        .integer(
            "challenge_lifetime_ms", 1000...86_400_000, \.server.challengeLifetimeMs,
            "Default lifetime of an issued challenge, in ms."),
        .choice(
            "challenge_store", \.server.challengeStore,
            "Where issued challenges are recorded as used: memory (this process; replicas do not share it) or redis (redis_url; shared by every replica)."
        ),
        .integer(
            "challenge_store_capacity", 1...100_000_000, \.server.challengeStoreCapacity,
            "Records the memory store keeps; when full, the earliest-expiring go first and challenges expiring before them are refused as reused (fail closed)."
        ),
        .text(
            "redis_url", maxBytes: pathMax, \.server.redisURL, placeholder: "url", default: "none",
            "redis://[[user]:password@]host[:port][/db] or unix:///path/redis.sock?password=...&db=N, for challenge_store redis. No TLS (rediss is refused)."
        ),
        .text(
            "redis_key_prefix", maxBytes: 256, \.server.redisKeyPrefix, placeholder: "prefix",
            "Prefix of the keys recording used challenges in Redis."),
        .integer(
            "redis_timeout_ms", 10...60_000, \.server.redisTimeoutMs,
            "Connecting to Redis and each answer must take at most this long; past it requests are answered UNAVAILABLE and the connection is remade."
        ),
    ]

    static let pathMax = 4096
}
