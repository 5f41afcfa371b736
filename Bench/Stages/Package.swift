// swift-tools-version: 6.2
// Stage micro-benchmarks for passkeyd (ordo-one/benchmark): wall time and malloc counts per stage of the hot path.
// A package of its own, so the root's `swift build` (CI) never builds the benchmark plugin or its dependencies.
// Run from this directory: `swift package benchmark` (README.md).
import PackageDescription

let package = Package(
    name: "passkeyd-stages",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "passkeyd", path: "../.."),
        // The MallocInterposer trait counts allocations with ordo-one/malloc-interposer (no jemalloc needed).
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // The same interposer the benchmark counts with, read directly to split passkeyd's mallocs from OpenSSL's.
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
        // EmbeddedChannel, for the server's request path without a socket (the root package resolves the version).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Counts libcrypto's own allocations (CRYPTO_set_mem_functions), installed before OpenSSL allocates anything.
        .target(
            name: "COpenSSLMallocCounter",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        .executableTarget(
            name: "Stages",
            dependencies: [
                "COpenSSLMallocCounter",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
                .product(name: "PasskeyWebAuthn", package: "passkeyd"),
                .product(name: "PasskeyCOSE", package: "passkeyd"),
                .product(name: "PasskeyCBOR", package: "passkeyd"),
                .product(name: "PasskeyCrypto", package: "passkeyd"),
                .product(name: "PasskeyWire", package: "passkeyd"),
                .product(name: "PasskeySoftAuthenticator", package: "passkeyd"),
                .product(name: "PasskeyServer", package: "passkeyd"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            path: "Benchmarks/Stages",
            swiftSettings: [.treatAllWarnings(as: .error)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
