// swift-tools-version: 6.2
// passkeyd — a WebAuthn / FIDO2 verification engine and sidecar.
//
// Layers (a lower one never imports a higher one):
//   PasskeyCBOR          zero-copy CBOR reader (+ a small writer)        — no dependencies
//   PasskeyCrypto        the only module that touches OpenSSL (libcrypto) — CPasskeyOpenSSL
//   PasskeyCOSE          COSE_Key parsing, key building and the key cache — CBOR, Crypto
//   PasskeyWebAuthn      the registration and authentication ceremonies   — CBOR, COSE, Crypto
//   PasskeyRequests      the JSON request / verdict shapes of `passkeyd verify`
//   PasskeySoftAuthenticator  a software authenticator for tests and benchmarks
//   passkeyd             the command-line front (and later the daemon)
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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CPasskeyOpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "PasskeyCBOR", swiftSettings: strict),
        .target(name: "PasskeyCrypto", dependencies: ["CPasskeyOpenSSL"], swiftSettings: strict),
        .target(name: "PasskeyCOSE", dependencies: ["PasskeyCBOR", "PasskeyCrypto"], swiftSettings: strict),
        .target(
            name: "PasskeyWebAuthn",
            dependencies: ["PasskeyCBOR", "PasskeyCOSE", "PasskeyCrypto"],
            swiftSettings: strict
        ),
        .target(name: "PasskeyRequests", dependencies: ["PasskeyWebAuthn", "PasskeyCOSE"], swiftSettings: strict),
        .target(
            name: "PasskeySoftAuthenticator",
            dependencies: ["PasskeyCBOR", "PasskeyCrypto", "PasskeyWebAuthn"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "passkeyd",
            dependencies: [
                "PasskeyWebAuthn",
                "PasskeyRequests",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "passkey-microbench",
            dependencies: ["PasskeyWebAuthn", "PasskeyCOSE", "PasskeyCrypto", "PasskeySoftAuthenticator"],
            path: "Bench/Micro",
            swiftSettings: strict
        ),
        .testTarget(name: "PasskeyCBORTests", dependencies: ["PasskeyCBOR"], swiftSettings: strict),
        .testTarget(name: "PasskeyCryptoTests", dependencies: ["PasskeyCrypto"], swiftSettings: strict),
        .testTarget(
            name: "PasskeyWebAuthnTests",
            dependencies: [
                "PasskeyWebAuthn", "PasskeyCOSE", "PasskeyCBOR", "PasskeyCrypto", "PasskeySoftAuthenticator", "PasskeyRequests",
            ],
            swiftSettings: strict
        ),
    ]
)
