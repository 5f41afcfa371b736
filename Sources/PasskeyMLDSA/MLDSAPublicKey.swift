/// An ML-DSA public key, parsed once and ready to verify pure ML-DSA signatures with an empty context
/// (FIPS 204 Algorithm 3, ML-DSA.Verify, with ctx = ""; RFC 9964 §5 requires the empty context for COSE).
///
/// Verification only: passkeyd never signs. HashML-DSA (pre-hash) is not offered, as RFC 9964 §7.2 registers none.
/// The backend is swift-crypto (`MLDSAPublicKey+SwiftCrypto.swift`, the only file of the engine that imports it).
public struct MLDSAPublicKey: Sendable {
    public let parameterSet: MLDSAParameterSet
    let backend: Backend

    /// Parses `publicKey` (pkEncode bytes). The length must be exactly the parameter set's; every bit pattern of that
    /// length is a valid encoding (t1 is packed 10-bit coefficients, all values in range).
    public init(_ parameterSet: MLDSAParameterSet, publicKey: UnsafeRawBufferPointer) throws(MLDSAKeyError) {
        guard publicKey.count == parameterSet.publicKeyByteCount else {
            throw MLDSAKeyError(
                "\(parameterSet) public key is \(publicKey.count) bytes; it must be \(parameterSet.publicKeyByteCount)")
        }
        self.parameterSet = parameterSet
        self.backend = try Backend(parameterSet, publicKey: publicKey)
    }

    /// Whether `signature` is a valid ML-DSA signature of `part1 || part2` under this key (empty context).
    /// A signature of the wrong length, or one that does not decode (hints out of order, too many hints), is simply
    /// invalid: the check fails closed.
    public func isValidSignature(
        _ signature: UnsafeRawBufferPointer, part1: UnsafeRawBufferPointer, part2: UnsafeRawBufferPointer
    ) -> Bool {
        guard signature.count == parameterSet.signatureByteCount else { return false }
        if part2.isEmpty { return backend.isValidSignature(signature, message: part1) }
        if part1.isEmpty { return backend.isValidSignature(signature, message: part2) }
        // Pure ML-DSA hashes the whole message inside the verifier (μ = H(tr || M')), so the parts are joined once.
        let total = part1.count + part2.count
        return withUnsafeTemporaryAllocation(byteCount: total, alignment: 1) { buffer in
            UnsafeMutableRawBufferPointer(rebasing: buffer[0..<part1.count]).copyMemory(from: part1)
            UnsafeMutableRawBufferPointer(rebasing: buffer[part1.count..<total]).copyMemory(from: part2)
            return backend.isValidSignature(signature, message: UnsafeRawBufferPointer(buffer))
        }
    }

    /// The encoded public key, as parsed.
    public var rawRepresentation: [UInt8] { backend.rawRepresentation }

    /// About how much memory the parsed key costs while it is cached: BoringSSL's expanded public key (ρ, tr and t1 as
    /// 32-bit coefficients: 32 + 64 + 1024·k bytes, k = 6 or 8, so 6,240 / 8,288 bytes) in one heap object, plus
    /// the object headers and malloc rounding.
    public var estimatedMemoryBytes: Int {
        switch parameterSet {
        case .mldsa65: 6_240 + 160
        case .mldsa87: 8_288 + 160
        }
    }
}

extension MLDSAPublicKey: CustomStringConvertible {
    public var description: String { "MLDSAPublicKey(\(parameterSet))" }
}

/// Why bytes are not an ML-DSA public key (the caller maps it to its own error code).
public struct MLDSAKeyError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
