internal import CPasskeyOpenSSL

/// Per-thread scratch for hashing and verifying: a reusable digest context, an EdDSA
/// context, a digest buffer and a growable buffer for EdDSA message concatenation.
///
/// Not Sendable: create one per thread or task and keep reusing it. Keys are Sendable and
/// may be shared by any number of verifiers.
public final class SignatureVerifier {
    let digests = DigestContext()
    /// EVP_MD_CTX for one-shot EdDSA; reset before and after every use.
    let eddsaContext: OpaquePointer
    /// Holds the pre-hash of part1 || part2.
    let digestScratch: UnsafeMutableRawBufferPointer
    /// part1 || part2 for EdDSA; grown on demand.
    var messageScratch: UnsafeMutableRawBufferPointer

    public init() {
        guard let ctx = EVP_MD_CTX_new() else { fatalError("PasskeyCrypto: EVP_MD_CTX_new failed (out of memory)") }
        eddsaContext = ctx
        digestScratch = .allocate(byteCount: HashAlgorithm.maximumDigestByteCount, alignment: 16)
        messageScratch = .allocate(byteCount: 1024, alignment: 16)
    }

    deinit {
        EVP_MD_CTX_free(eddsaContext)
        digestScratch.deallocate()
        messageScratch.deallocate()
    }

    /// SHA-256 of `data` into `out` (`out.count >= 32`).
    public func sha256(_ data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        digest(.sha256, data, UnsafeRawBufferPointer(start: nil, count: 0), into: out)
    }

    /// hash(a || b) into `out` (`out.count >= hash.digestByteCount`), without concatenating.
    /// Traps only if OpenSSL itself fails (out of memory).
    public func digest(_ hash: HashAlgorithm, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer,
                       into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= hash.digestByteCount, "digest output buffer too small")
        guard let base = out.baseAddress, digests.digest(hash, a, b, into: base) else {
            fatalError("PasskeyCrypto: OpenSSL digest failed")
        }
    }

    /// hash(parts[0] || parts[1] || ...) into `out`. Prefer the two-part overload on hot paths
    /// (a variadic call allocates an array).
    public func digest(_ hash: HashAlgorithm, parts: UnsafeRawBufferPointer..., into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= hash.digestByteCount, "digest output buffer too small")
        guard let base = out.baseAddress, digests.begin(hash.md),
              parts.allSatisfy({ digests.update($0) }), digests.finish(into: base) else {
            fatalError("PasskeyCrypto: OpenSSL digest failed")
        }
    }

    /// Convenience: hash(data) as a new array.
    public func digest(_ hash: HashAlgorithm, _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: hash.digestByteCount)
        data.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { digest(hash, input, UnsafeRawBufferPointer(start: nil, count: 0), into: $0) }
        }
        return out
    }

    /// A scratch buffer of at least `count` bytes (contents undefined).
    func messageBuffer(atLeast count: Int) -> UnsafeMutableRawBufferPointer {
        if messageScratch.count < count {
            messageScratch.deallocate()
            messageScratch = .allocate(byteCount: max(count, messageScratch.count * 2), alignment: 16)
        }
        return messageScratch
    }
}

@available(*, unavailable, message: "SignatureVerifier is per-thread scratch; create one per task")
extension SignatureVerifier: Sendable {}
