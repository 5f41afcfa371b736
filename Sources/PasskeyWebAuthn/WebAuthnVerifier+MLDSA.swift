import PasskeyCOSE
import PasskeyMLDSA

extension WebAuthnVerifier {
    /// An ML-DSA credential's signature over `authenticatorData || clientDataHash`: pure ML-DSA with the empty context
    /// (RFC 9964 §5), the algorithm pinned to the key's parameter set, the signature exactly that set's length.
    func verifyMLDSASignature(
        _ signature: UnsafeRawBufferPointer, authenticatorData: UnsafeRawBufferPointer,
        clientDataHash: UnsafeRawBufferPointer, key: MLDSAPublicKey, algorithm: COSEAlgorithm, what: String
    ) throws(WebAuthnError) {
        guard algorithm.mldsaParameterSet == key.parameterSet else {
            throw WebAuthnError(.algorithmMismatch, "\(what) key is \(key.parameterSet) and cannot verify \(algorithm)")
        }
        let expected = key.parameterSet.signatureByteCount
        guard signature.count == expected else {
            throw WebAuthnError(
                .malformedSignature,
                "\(what) signature (\(algorithm)) is malformed: \(signature.count) bytes, \(key.parameterSet) signatures are \(expected)")
        }
        guard key.isValidSignature(signature, part1: authenticatorData, part2: clientDataHash) else {
            throw WebAuthnError(.badSignature, "\(what) signature (\(algorithm)) does not verify")
        }
    }
}
