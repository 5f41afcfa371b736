internal import CPasskeyOpenSSL

/// EVP_MD objects fetched once per process from the default provider. Fetching is a
/// locked method-store lookup; doing it per digest or per verify would show up in profiles.
/// Fetched EVP_MDs are immutable and safe to share between threads.
final class MessageDigests: @unchecked Sendable {
    static let shared = MessageDigests()

    let sha1: OpaquePointer
    let sha256: OpaquePointer
    let sha384: OpaquePointer
    let sha512: OpaquePointer

    private init() {
        func fetch(_ name: String) -> OpaquePointer {
            guard let md = EVP_MD_fetch(nil, name, nil) else {
                // The default provider always has these; without them nothing here can work.
                fatalError("PasskeyCrypto: OpenSSL cannot fetch \(name): \(OpenSSLErrors.drain())")
            }
            return md
        }
        sha1 = fetch("SHA1")
        sha256 = fetch("SHA256")
        sha384 = fetch("SHA384")
        sha512 = fetch("SHA512")
    }

    deinit {
        EVP_MD_free(sha1)
        EVP_MD_free(sha256)
        EVP_MD_free(sha384)
        EVP_MD_free(sha512)
    }

    @inline(__always)
    func md(_ hash: HashAlgorithm) -> OpaquePointer {
        switch hash {
        case .sha1: sha1
        case .sha256: sha256
        case .sha384: sha384
        case .sha512: sha512
        }
    }
}

extension HashAlgorithm {
    /// The pre-fetched EVP_MD.
    var md: OpaquePointer { MessageDigests.shared.md(self) }
}

/// A reusable EVP_MD_CTX. Not thread-safe: one per thread (owned by a SignatureVerifier or
/// used locally). EVP_DigestInit_ex2 re-initialises it fully on every use.
final class DigestContext {
    private let ctx: OpaquePointer

    init() {
        guard let ctx = EVP_MD_CTX_new() else { fatalError("PasskeyCrypto: EVP_MD_CTX_new failed (out of memory)") }
        self.ctx = ctx
    }

    deinit { EVP_MD_CTX_free(ctx) }

    @inline(__always)
    func begin(_ md: OpaquePointer) -> Bool {
        EVP_DigestInit_ex2(ctx, md, nil) == 1
    }

    @inline(__always)
    func update(_ data: UnsafeRawBufferPointer) -> Bool {
        guard let base = data.baseAddress, data.count > 0 else { return true }
        return EVP_DigestUpdate(ctx, base, data.count) == 1
    }

    /// Writes the digest to `out` (which must have room for it).
    @inline(__always)
    func finish(into out: UnsafeMutableRawPointer) -> Bool {
        var length: UInt32 = 0
        return EVP_DigestFinal_ex(ctx, out.assumingMemoryBound(to: UInt8.self), &length) == 1
    }

    /// digest(part1 || part2) into `out`; false on an internal OpenSSL failure.
    func digest(_ hash: HashAlgorithm, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer,
                into out: UnsafeMutableRawPointer) -> Bool {
        let ok = begin(hash.md) && update(a) && update(b) && finish(into: out)
        if !ok { OpenSSLErrors.clear() }
        return ok
    }
}
