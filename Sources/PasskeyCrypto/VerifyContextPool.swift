internal import CPasskeyOpenSSL
import Synchronization

/// A few EVP_PKEY_CTX for one key, already initialised for verification and configured for
/// a scheme, so the hot path is a single EVP_PKEY_verify.
///
/// A context is handed to exactly one caller at a time (taken out under the lock, put back
/// afterwards), so concurrent verifiers never share one. Contexts are bound to this pool's
/// key for their whole life, which rules out the OpenSSL 3.0 pitfall of a re-initialised
/// context keeping an older key.
///
/// Measured on OpenSSL 3.0.19, P-256 (C loop): EVP_PKEY_verify on a kept, initialised context
/// ≈ 43.1 µs; re-running EVP_PKEY_verify_init first ≈ 43.4 µs; a new context per call
/// ≈ 44.8 µs. Through SignatureVerifier: kept ≈ 99–101 % of the raw rate, re-init ≈ 99 %,
/// new context per call ≈ 96 %. So contexts are kept initialised and never re-initialised
/// unless a different scheme (RSA padding / hash) needs them.
///
/// Non-copyable and stored inline in its `PublicKey`, so building a key costs one Swift allocation (the key object), not
/// two.
struct VerifyContextPool: ~Copyable, Sendable {
    /// Kept contexts per key. More callers than this at once simply create and free extras.
    static let capacity = 8

    private struct Entry: Sendable {
        /// The EVP_PKEY_CTX pointer's bit pattern (pointers are not Sendable; the pool owns it).
        let address: UInt
        let configuration: UInt8
    }

    private let idle: Mutex<[Entry]>

    /// Starts empty: a key that is never verified costs no context and no array storage.
    init() {
        idle = Mutex([])
    }

    /// Each kept context holds its own reference to the key, released here.
    deinit {
        let entries = idle.withLock { $0 }
        for entry in entries {
            EVP_PKEY_CTX_free(OpaquePointer(bitPattern: entry.address))
        }
    }

    /// Takes a context for `pkey` configured for `scheme`: a kept one if possible, else a new
    /// one. Returns nil if OpenSSL refuses the configuration (error queue cleared).
    func acquire(pkey: OpaquePointer, scheme: SignatureScheme) -> OpaquePointer? {
        let wanted = scheme.verifyConfiguration
        let taken: Entry? = idle.withLock { entries in
            if let i = entries.lastIndex(where: { $0.configuration == wanted }) {
                return entries.remove(at: i)
            }
            return entries.popLast()
        }
        if let taken, let ctx = OpaquePointer(bitPattern: taken.address) {
            if taken.configuration == wanted { return ctx }
            if Self.configure(ctx, for: scheme) { return ctx }
            EVP_PKEY_CTX_free(ctx)
            OpenSSLErrors.clear()
            return nil
        }
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else {
            OpenSSLErrors.clear()
            return nil
        }
        guard Self.configure(ctx, for: scheme) else {
            EVP_PKEY_CTX_free(ctx)
            OpenSSLErrors.clear()
            return nil
        }
        return ctx
    }

    /// Returns a context after a successful verify; it is kept unless the pool is full.
    func release(_ ctx: OpaquePointer, scheme: SignatureScheme) {
        let entry = Entry(address: UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(ctx))),
                          configuration: scheme.verifyConfiguration)
        let kept = idle.withLock { entries in
            guard entries.count < Self.capacity else { return false }
            entries.append(entry)
            return true
        }
        if !kept { EVP_PKEY_CTX_free(ctx) }
    }

    /// Frees a context whose last operation failed (never reused).
    func discard(_ ctx: OpaquePointer) {
        EVP_PKEY_CTX_free(ctx)
    }

    /// EVP_PKEY_verify_init plus the scheme's parameters. ECDSA gets no signature digest:
    /// the caller checks the digest length, and setting one costs a provider fetch.
    private static func configure(_ ctx: OpaquePointer, for scheme: SignatureScheme) -> Bool {
        guard EVP_PKEY_verify_init(ctx) == 1 else { return false }
        switch scheme {
        case .ecdsa:
            return true
        case .rsaPKCS1v15(let hash):
            return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1
                && EVP_PKEY_CTX_set_signature_md(ctx, hash.md) == 1
        case .rsaPSS(let hash):
            return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1
                && EVP_PKEY_CTX_set_signature_md(ctx, hash.md) == 1
                && EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, hash.md) == 1
                && EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) == 1
        case .eddsa:
            return false
        }
    }
}
