internal import CPasskeyOpenSSL

/// HMAC-SHA-256 (RFC 2104) with a fixed key, for authenticated tokens (issued challenges). The key is copied in and
/// never leaves; a MAC is computed with OpenSSL's one-shot HMAC on the pre-fetched SHA-256.
public struct HMACKey: Sendable {
    private let key: [UInt8]

    /// At least 32 bytes (the output size; NIST SP 800-107 for the security strength of HMAC-SHA-256).
    public init(_ key: [UInt8]) throws(CryptoError) {
        guard key.count >= 32 else { throw CryptoError(.invalidKey, "an HMAC-SHA-256 key needs at least 32 bytes, got \(key.count)") }
        guard key.count <= 1024 else { throw CryptoError(.invalidKey, "an HMAC key of \(key.count) bytes is too long") }
        self.key = key
    }

    /// HMAC-SHA-256 over the concatenation of `parts` into `out` (32 bytes).
    public func authenticate(_ parts: [UnsafeRawBufferPointer], into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= 32, "an HMAC-SHA-256 tag is 32 bytes")
        // HMAC over concatenated parts: one small copy (tokens are under 100 bytes).
        let total = parts.reduce(0) { $0 + $1.count }
        withUnsafeTemporaryAllocation(byteCount: max(1, total), alignment: 1) { buffer in
            var at = 0
            for p in parts where !p.isEmpty {
                UnsafeMutableRawBufferPointer(rebasing: buffer[at..<(at + p.count)]).copyMemory(from: p)
                at += p.count
            }
            var length: UInt32 = 0
            let ok = key.withUnsafeBytes { k in
                HMAC(
                    HashAlgorithm.sha256.md, k.baseAddress, Int32(k.count),
                    UnsafeRawBufferPointer(buffer).bytePointer, total, out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    &length) != nil
            }
            guard ok, length == 32 else { fatalError("PasskeyCrypto: HMAC-SHA-256 failed: \(OpenSSLErrors.drain())") }
        }
    }
}

/// Randomness from OpenSSL's DRBG (for nonces and generated keys).
public enum SecureRandom {
    public static func fill(_ out: UnsafeMutableRawBufferPointer) {
        guard out.count > 0 else { return }
        guard RAND_bytes(out.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(out.count)) == 1 else {
            fatalError("PasskeyCrypto: RAND_bytes failed: \(OpenSSLErrors.drain())")
        }
    }

    public static func bytes(_ n: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: n)
        out.withUnsafeMutableBytes { fill($0) }
        return out
    }
}

/// Comparison whose time depends only on the length (CRYPTO_memcmp).
public enum ConstantTime {
    public static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0 else { return true }
        return CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0
    }
}
