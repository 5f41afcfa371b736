// swift-tools-version: 6.2
// passkeyd — a WebAuthn / FIDO2 verification engine and sidecar.
//
// Layers (a lower one never imports a higher one; each target declares exactly what it imports,
// scripts/check-imports.py):
//   PasskeyCBOR          zero-copy CBOR reader (+ a small writer)        — no dependencies
//   PasskeyJSON          strict JSON reader/writer, base64url, base64, hex, UUID, PEM — no dependencies
//   PasskeyCrypto        the only module that touches OpenSSL (libcrypto) — CPasskeyOpenSSL
//   PasskeyMLDSA         ML-DSA-65/87 verification, the only engine module that imports swift-crypto's Crypto
//   PasskeyCOSE          COSE_Key parsing, key building and the key cache — CBOR, Crypto, MLDSA
//   PasskeyAttestationData  parsers for TPM / Android / Apple / JWS structures — JSON, SwiftASN1
//   PasskeyMetadata      FIDO MDS3 BLOB: verified, indexed               — Crypto, JSON
//   PasskeyWebAuthn      the registration and authentication ceremonies   — CBOR, COSE, Crypto, AttestationData, Metadata
//   PasskeyProtocol      the wire protocol alone: frames, codes, messages, their protobuf-c codec — CPasskeyProto
//   PasskeyRequests      the request / verdict JSON of passkeyd and passkeyctl   — JSON, Protocol (no engine)
//   PasskeyWire          the server's codec and request execution (no NIO)      — Protocol, CPasskeyProto, WebAuthn
//   PasskeySoftAuthenticator  a software authenticator for tests and benchmarks
//   PasskeyRedis         the shared replay store's Redis client                  — WebAuthn, NIO
//   PasskeyServer        the sidecar: NIO listeners, limits, lifecycle, metrics      — Wire, Redis, NIO
//   PasskeyGRPC          the optional gRPC listener (grpc-swift-2): raw bytes into the same executor — Server
//   PasskeydSettings     passkeyd serve's settings table: flags, environment, config file — Server, Requests
//   PasskeyClient        async Swift client (pool, pipelining, batches)              — Protocol, NIO (no engine, no
//                        libcrypto: scripts/check-client-links.sh)
//   passkeyd / passkeyctl / passkey-bench   executables
import PackageDescription

let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "passkeyd",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PasskeyWebAuthn", targets: ["PasskeyWebAuthn"]),
        .library(name: "PasskeySoftAuthenticator", targets: ["PasskeySoftAuthenticator"]),
        .executable(name: "passkeyd", targets: ["passkeyd"]),
        .executable(name: "passkey-microbench", targets: ["passkey-microbench"]),
        .executable(name: "passkeyctl", targets: ["passkeyctl"]),
        .executable(name: "passkey-bench", targets: ["passkey-bench"]),
        .library(name: "PasskeyClient", targets: ["PasskeyClient"]),
        // The wire protocol alone (frames, messages, codes): for clients with a transport of their own.
        .library(name: "PasskeyProtocol", targets: ["PasskeyProtocol"]),
        // For the stage micro-benchmarks (Bench/Stages, a separate package that depends on this one by path).
        .library(name: "PasskeyCBOR", targets: ["PasskeyCBOR"]),
        .library(name: "PasskeyCOSE", targets: ["PasskeyCOSE"]),
        .library(name: "PasskeyMLDSA", targets: ["PasskeyMLDSA"]),
        .library(name: "PasskeyCrypto", targets: ["PasskeyCrypto"]),
        .library(name: "PasskeyWire", targets: ["PasskeyWire"]),
        .library(name: "PasskeyJSON", targets: ["PasskeyJSON"]),
        .library(name: "PasskeyAttestationData", targets: ["PasskeyAttestationData"]),
        .library(name: "PasskeyMetadata", targets: ["PasskeyMetadata"]),
        // The server's request path on an EmbeddedChannel (Bench/Stages, `@_spi(Benchmarks) ServerRequestPath`).
        .library(name: "PasskeyServer", targets: ["PasskeyServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // ML-DSA-65/87 verification (PasskeyMLDSA) and, for tests only, ML-DSA signing (PasskeySoftAuthenticator).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // The gRPC listener (PasskeyGRPC), linked by the daemon, its tests and the benchmark only.
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPasskeyOpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CProtobufC",
            pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]
        ),
        // protobuf-c code generated from Protos/ (scripts/regen-protos.sh) plus the per-thread arena allocator.
        .target(name: "CPasskeyProto", dependencies: ["CProtobufC"]),
        // libc knobs the daemon sets at start (malloc's mmap threshold), as inline C functions.
        .target(name: "CPasskeySystem"),
        // The protocol on its own: frames and their limits, the error codes, the wire types, the Swift side of the
        // generated C. What the server's codec and every client build on; no engine, no OpenSSL.
        .target(name: "PasskeyProtocol", dependencies: ["CPasskeyProto"], swiftSettings: strict),
        .target(name: "PasskeyCBOR", swiftSettings: strict),
        // Strict JSON reader/writer, base64url and hex: the text encodings of requests, responses and configuration.
        .target(name: "PasskeyJSON", swiftSettings: strict),
        .target(name: "PasskeyCrypto", dependencies: ["CPasskeyOpenSSL"], swiftSettings: strict),
        // ML-DSA-65/87 public keys and pure ML-DSA verification through swift-crypto: the one engine module that
        // imports `Crypto` (every classic algorithm stays on OpenSSL through PasskeyCrypto). No signing here.
        .target(
            name: "PasskeyMLDSA", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        .target(name: "PasskeyCOSE", dependencies: ["PasskeyCBOR", "PasskeyCrypto", "PasskeyMLDSA"], swiftSettings: strict),
        // Parsers for the structures inside attestation statements (TPM, Android key description, Apple nonce, JWS).
        .target(
            name: "PasskeyAttestationData",
            dependencies: ["PasskeyJSON", .product(name: "SwiftASN1", package: "swift-asn1")],
            swiftSettings: strict
        ),
        // FIDO Metadata Service v3: the BLOB, verified and indexed once per load.
        .target(
            name: "PasskeyMetadata",
            dependencies: ["PasskeyCrypto", "PasskeyJSON"],
            swiftSettings: strict
        ),
        .target(
            name: "PasskeyWebAuthn",
            dependencies: [
                "PasskeyCBOR", "PasskeyCOSE", "PasskeyCrypto", "PasskeyJSON", "PasskeyAttestationData", "PasskeyMetadata",
                "PasskeyMLDSA",
            ],
            swiftSettings: strict
        ),
        // The request / verdict JSON of the command-line tools, read into and printed from the protocol's types: what
        // passkeyd and passkeyctl share, with no engine below it.
        .target(name: "PasskeyRequests", dependencies: ["PasskeyJSON", "PasskeyProtocol"], swiftSettings: strict),
        .target(
            name: "PasskeyWire",
            dependencies: [
                "CPasskeyProto", "PasskeyProtocol", "PasskeyWebAuthn", "PasskeyCOSE", "PasskeyCrypto", "PasskeyJSON",
                "PasskeyMetadata",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "PasskeyServer",
            dependencies: [
                "PasskeyWire", "PasskeyProtocol", "PasskeyWebAuthn", "PasskeyCOSE", "PasskeyCrypto", "PasskeyRedis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        // The gRPC listener: the framed protocol's service over HTTP/2 (grpc-swift-2), run by the same executor, and
        // grpc.health.v1. Its generated code (Generated/) comes from scripts/regen-protos.sh, never from a build plugin.
        .target(
            name: "PasskeyGRPC",
            dependencies: [
                "PasskeyServer", "PasskeyWire", "PasskeyProtocol",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "PasskeyRedis",
            dependencies: [
                "PasskeyWebAuthn", "PasskeyJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        // The daemon's settings: one typed table read from flags, environment and the config file.
        .target(
            name: "PasskeydSettings",
            dependencies: [
                "PasskeyServer", "PasskeyWire", "PasskeyRequests", "PasskeyWebAuthn", "PasskeyCOSE", "PasskeyJSON",
                "PasskeyMetadata", "PasskeyCrypto", "PasskeyRedis",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "PasskeyClient",
            dependencies: [
                "PasskeyProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "PasskeySoftAuthenticator",
            dependencies: [
                "PasskeyCBOR", "PasskeyCOSE", "PasskeyCrypto", "PasskeyWebAuthn", "PasskeyJSON", "PasskeyMLDSA",
                // ML-DSA signing for test credentials (the daemon does not link this module).
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "passkeyd",
            dependencies: [
                "PasskeyWebAuthn",
                "PasskeyCOSE",
                "PasskeyProtocol",
                "PasskeyRequests",
                "PasskeyServer",
                "PasskeyWire",
                "PasskeydSettings",
                "PasskeyMetadata",
                "PasskeyCrypto",
                "CPasskeySystem",
                "PasskeyGRPC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "passkey-microbench",
            dependencies: [
                "PasskeyWebAuthn", "PasskeyCOSE", "PasskeyCrypto", "PasskeyCBOR", "PasskeySoftAuthenticator", "PasskeyJSON",
                // --grpc-codec: the gRPC listener's codec next to typed stubs.
                "PasskeyGRPC", "PasskeyWire", .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Bench/Micro",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "passkeyctl",
            dependencies: [
                "PasskeyClient", "PasskeyProtocol", "PasskeyRequests", "PasskeyJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "passkey-bench",
            dependencies: [
                "PasskeyClient", "PasskeySoftAuthenticator", "PasskeyWebAuthn", "PasskeyCOSE", "PasskeyCrypto", "PasskeyJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Bench/Load",
            swiftSettings: strict
        ),
        .testTarget(
            name: "PasskeydSettingsTests",
            dependencies: ["PasskeydSettings", "PasskeyMetadata", "PasskeyCrypto", "PasskeySoftAuthenticator", "PasskeyWebAuthn"],
            swiftSettings: strict
        ),
        .testTarget(name: "PasskeyProtocolTests", dependencies: ["PasskeyProtocol", "CPasskeyProto"], swiftSettings: strict),
        .testTarget(name: "PasskeyCBORTests", dependencies: ["PasskeyCBOR"], swiftSettings: strict),
        .testTarget(
            name: "PasskeyGRPCTests",
            dependencies: [
                "PasskeyGRPC", "PasskeyServer", "PasskeyWire", "PasskeyProtocol", "PasskeySoftAuthenticator",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PasskeyRedisTests",
            dependencies: [
                "PasskeyRedis", "PasskeyWebAuthn",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PasskeyAttestationDataTests", dependencies: ["PasskeyAttestationData", "PasskeyCrypto", "PasskeyJSON"],
            swiftSettings: strict),
        .testTarget(
            name: "PasskeyMetadataTests",
            dependencies: ["PasskeyMetadata", "PasskeyCrypto", "PasskeySoftAuthenticator"],
            swiftSettings: strict
        ),
        .testTarget(name: "PasskeyCryptoTests", dependencies: ["PasskeyCrypto"], swiftSettings: strict),
        .testTarget(
            name: "PasskeyWireTests",
            dependencies: [
                "PasskeyWire", "PasskeyProtocol", "PasskeyRequests", "PasskeyJSON", "PasskeyWebAuthn", "PasskeyCOSE",
                "PasskeyCrypto", "PasskeySoftAuthenticator",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PasskeyServerTests",
            dependencies: [
                "PasskeyClient", "PasskeyWire", "PasskeySoftAuthenticator", "PasskeyWebAuthn", "PasskeyCOSE", "PasskeyMetadata",
                "PasskeyCrypto", "PasskeyJSON",
                // The connection handlers, driven by EmbeddedChannel with a fake clock.
                "PasskeyServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PasskeyWebAuthnTests",
            dependencies: [
                "PasskeyWebAuthn", "PasskeyCOSE", "PasskeyCBOR", "PasskeyCrypto", "PasskeySoftAuthenticator", "PasskeyJSON", "PasskeyMetadata", "PasskeyMLDSA",
            ],
            // Published test vectors (JSON), read from the source tree by the tests that use them.
            exclude: ["Vectors"],
            swiftSettings: strict
        ),
    ]
)
