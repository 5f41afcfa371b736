// The only file of the engine that imports swift-crypto: ML-DSA-65 and ML-DSA-87 verification through its public API
// (`MLDSA65.PublicKey`, `MLDSA87.PublicKey`, backed by its BoringSSL). When the platform's OpenSSL is 3.5 or later,
// this backend should move to OpenSSL through PasskeyCrypto (docs/DESIGN.md, "Post-quantum credentials").
internal import Crypto

extension MLDSAPublicKey {
    /// The parsed key of one parameter set: exactly one of the two is set. Two optionals, not an enum, so the key's
    /// reference is stored as a plain pointer (see `CredentialKey` in PasskeyCOSE: leak checkers cannot follow the
    /// tagged references of a two-payload enum).
    struct Backend: Sendable {
        private let key65: MLDSA65.PublicKey?
        private let key87: MLDSA87.PublicKey?

        init(_ parameterSet: MLDSAParameterSet, publicKey: UnsafeRawBufferPointer) throws(MLDSAKeyError) {
            do {
                switch parameterSet {
                case .mldsa65: (key65, key87) = (try MLDSA65.PublicKey(rawRepresentation: publicKey), nil)
                case .mldsa87: (key65, key87) = (nil, try MLDSA87.PublicKey(rawRepresentation: publicKey))
                }
            } catch {
                throw MLDSAKeyError("\(parameterSet) public key does not parse: \(error)")
            }
        }

        /// Pure ML-DSA with the empty context (the no-context overload passes a nil context, i.e. ctx = "").
        func isValidSignature(_ signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> Bool {
            if let key = key65 { return key.isValidSignature(signature, for: message) }
            if let key = key87 { return key.isValidSignature(signature, for: message) }
            return false
        }

        var rawRepresentation: [UInt8] {
            if let key = key65 { return Array(key.rawRepresentation) }
            if let key = key87 { return Array(key.rawRepresentation) }
            return []
        }
    }
}
