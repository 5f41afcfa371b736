// swift-tools-version:6.1
// The two protoc plugins that generate the committed Swift code under Sources/PasskeyGRPC/Generated
// (scripts/regen-protos.sh builds them in release mode and runs them through grpcio-tools' protoc). A package of its
// own so the main package never builds or runs a code generator; pinned to the versions the main package uses.
import PackageDescription

let package = Package(
    name: "passkeyd-codegen",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
    ],
    targets: [
        // SwiftPM builds only what a package's own targets need from a dependency's products; this empty target
        // makes both plugins (`swift build --product protoc-gen-swift`, `--product protoc-gen-grpc-swift-2`) reachable.
        .target(name: "Anchor", path: "Anchor")
    ]
)
