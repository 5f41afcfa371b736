// ML-DSA signing for test credentials, through swift-crypto's public API. Test support only: the daemon does not
// link PasskeySoftAuthenticator, and the engine (PasskeyMLDSA) only verifies.
internal import Crypto
public import PasskeyMLDSA

/// An ML-DSA-65/87 private key of a soft authenticator.
public struct SoftMLDSAKey: Sendable {
    public let parameterSet: MLDSAParameterSet
    private let storage: Storage

    private enum Storage: Sendable {
        case mldsa65(MLDSA65.PrivateKey)
        case mldsa87(MLDSA87.PrivateKey)
    }

    /// A new key; from `seed` (32 bytes, FIPS 204 ML-DSA.KeyGen_internal) when given, so tests can be reproducible.
    public init(_ parameterSet: MLDSAParameterSet, seed: [UInt8]? = nil) throws {
        self.parameterSet = parameterSet
        switch (parameterSet, seed) {
        case (.mldsa65, nil): storage = .mldsa65(try MLDSA65.PrivateKey())
        case let (.mldsa65, seed?): storage = .mldsa65(try MLDSA65.PrivateKey(seedRepresentation: seed, publicKey: nil))
        case (.mldsa87, nil): storage = .mldsa87(try MLDSA87.PrivateKey())
        case let (.mldsa87, seed?): storage = .mldsa87(try MLDSA87.PrivateKey(seedRepresentation: seed, publicKey: nil))
        }
    }

    /// The encoded public key (what a COSE AKP key's `pub` holds).
    public var publicKey: [UInt8] {
        switch storage {
        case let .mldsa65(key): Array(key.publicKey.rawRepresentation)
        case let .mldsa87(key): Array(key.publicKey.rawRepresentation)
        }
    }

    /// The 32-byte seed the key was generated from.
    public var seed: [UInt8] {
        switch storage {
        case let .mldsa65(key): Array(key.seedRepresentation)
        case let .mldsa87(key): Array(key.seedRepresentation)
        }
    }

    /// A pure ML-DSA signature of `message` with the empty context (what WebAuthn and RFC 9964 use).
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        switch storage {
        case let .mldsa65(key): Array(try key.signature(for: message))
        case let .mldsa87(key): Array(try key.signature(for: message))
        }
    }

    /// A signature with a non-empty context, which a WebAuthn verifier must refuse (tests only).
    public func sign(_ message: [UInt8], context: [UInt8]) throws -> [UInt8] {
        switch storage {
        case let .mldsa65(key): Array(try key.signature(for: message, context: context))
        case let .mldsa87(key): Array(try key.signature(for: message, context: context))
        }
    }
}
