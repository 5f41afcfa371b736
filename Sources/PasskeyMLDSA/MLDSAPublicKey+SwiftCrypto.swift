// The only file of the engine that imports swift-crypto: ML-DSA-65 and ML-DSA-87 verification through its public API
// (`MLDSA65.PublicKey`, `MLDSA87.PublicKey`, backed by its BoringSSL). When the platform's OpenSSL is 3.5 or later,
// this backend should move to OpenSSL through PasskeyCrypto (docs/DESIGN.md, "Post-quantum credentials").
internal import Crypto

extension MLDSAPublicKey {
    /// The parsed key of one parameter set.
    enum Backend: Sendable {
        case mldsa65(MLDSA65.PublicKey)
        case mldsa87(MLDSA87.PublicKey)

        init(_ parameterSet: MLDSAParameterSet, publicKey: UnsafeRawBufferPointer) throws(MLDSAKeyError) {
            do {
                switch parameterSet {
                case .mldsa65: self = .mldsa65(try MLDSA65.PublicKey(rawRepresentation: publicKey))
                case .mldsa87: self = .mldsa87(try MLDSA87.PublicKey(rawRepresentation: publicKey))
                }
            } catch {
                throw MLDSAKeyError("\(parameterSet) public key does not parse: \(error)")
            }
        }

        /// Pure ML-DSA with the empty context (the no-context overload passes a nil context, i.e. ctx = "").
        func isValidSignature(_ signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> Bool {
            switch self {
            case let .mldsa65(key): key.isValidSignature(signature, for: message)
            case let .mldsa87(key): key.isValidSignature(signature, for: message)
            }
        }

        var rawRepresentation: [UInt8] {
            switch self {
            case let .mldsa65(key): Array(key.rawRepresentation)
            case let .mldsa87(key): Array(key.rawRepresentation)
            }
        }
    }
}
