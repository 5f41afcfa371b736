// ML-DSA signing for test credentials, through swift-crypto's public API. Test support only: the daemon does not
// link PasskeySoftAuthenticator, and the engine (PasskeyMLDSA) only verifies.
internal import Crypto
public import PasskeyMLDSA

/// An ML-DSA-65/87 private key of a soft authenticator.
public struct SoftMLDSAKey: Sendable {
    public let parameterSet: MLDSAParameterSet
    // Exactly one is set. Optionals rather than a two-payload enum, whose tagged references leak checkers cannot
    // follow (the fuzz harnesses keep these keys in globals; see CredentialKey in PasskeyCOSE).
    private let key65: MLDSA65.PrivateKey?
    private let key87: MLDSA87.PrivateKey?

    private enum Storage {
        case mldsa65(MLDSA65.PrivateKey)
        case mldsa87(MLDSA87.PrivateKey)
    }

    private var storage: Storage {
        if let key = key65 { return .mldsa65(key) }
        guard let key = key87 else { preconditionFailure("a SoftMLDSAKey holds one key") }
        return .mldsa87(key)
    }

    /// A new key; from `seed` (32 bytes, FIPS 204 ML-DSA.KeyGen_internal) when given, so tests can be reproducible.
    public init(_ parameterSet: MLDSAParameterSet, seed: [UInt8]? = nil) throws {
        self.parameterSet = parameterSet
        switch (parameterSet, seed) {
        case (.mldsa65, nil): (key65, key87) = (try MLDSA65.PrivateKey(), nil)
        case let (.mldsa65, seed?): (key65, key87) = (try MLDSA65.PrivateKey(seedRepresentation: seed, publicKey: nil), nil)
        case (.mldsa87, nil): (key65, key87) = (nil, try MLDSA87.PrivateKey())
        case let (.mldsa87, seed?): (key65, key87) = (nil, try MLDSA87.PrivateKey(seedRepresentation: seed, publicKey: nil))
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
