internal import CPasskeyOpenSSL

/// An immutable public key, ready for verification.
///
/// Sendable: the wrapped EVP_PKEY is only read after construction, and OpenSSL 3 allows
/// concurrent verification with one EVP_PKEY as long as each thread uses its own
/// EVP_PKEY_CTX — which the internal context pool guarantees (a context is owned by one
/// caller between `acquire` and `release`). An EC key is verified through its EC_KEY
/// (`ecKey`), which is only read after construction; see `PublicKey.ec` for why concurrent
/// `ECDSA_verify` calls on one EC_KEY are safe. An RSA key is verified through its legacy RSA (`rsaKey`), likewise
/// only read after construction (see `PublicKey.rsa`).
public final class PublicKey: @unchecked Sendable {
    public enum Kind: Sendable, Hashable {
        case ec(ECCurve)
        case rsa(bits: Int)
        case edwards(EdwardsCurve)
    }

    /// The key's algorithm and size.
    public let kind: Kind
    /// The owned EVP_PKEY (one reference, released in deinit). For EC keys it shares `ecKey`, for RSA keys `rsaKey`.
    let pkey: OpaquePointer
    /// EC keys: the EC_KEY that `ECDSA_verify` reads (one reference, released in deinit); nil otherwise.
    let ecKey: OpaquePointer?
    /// RSA keys: the RSA that `RSA_verify` / the PSS check read (one reference, released in deinit); nil otherwise.
    let rsaKey: OpaquePointer?
    /// RSA: modulus length in bytes (the exact signature length). 0 for other kinds.
    let rsaModulusByteCount: Int
    /// Ready-to-use verify contexts for pre-hashed schemes.
    let contexts = VerifyContextPool()

    /// Takes ownership of `pkey` (already validated by the caller).
    init(adopting pkey: OpaquePointer, kind: Kind, rsaModulusByteCount: Int = 0, ecKey: OpaquePointer? = nil,
         rsaKey: OpaquePointer? = nil) {
        self.pkey = pkey
        self.ecKey = ecKey
        self.rsaKey = rsaKey
        self.kind = kind
        self.rsaModulusByteCount = rsaModulusByteCount
    }

    deinit {
        EVP_PKEY_free(pkey)
        if let ecKey { passkey_ec_key_free(ecKey) }
        if let rsaKey { passkey_rsa_legacy_free(rsaKey) }
    }

    /// The DER SubjectPublicKeyInfo (EC keys: named curve, uncompressed point).
    public func subjectPublicKeyInfoDER() -> [UInt8] {
        let length = i2d_PUBKEY(pkey, nil)
        guard length > 0 else {
            OpenSSLErrors.clear()
            return []
        }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(pkey, &cursor)
        }
        guard written == length else {
            OpenSSLErrors.clear()
            return []
        }
        return out
    }
}

extension PublicKey: CustomStringConvertible {
    public var description: String { "PublicKey(\(kind))" }
}
