internal import CPasskeyOpenSSL

extension PublicKey {
    /// Largest modulus accepted. No authenticator makes keys above 4096 bits; a verify costs about the square of the
    /// size (OpenSSL 3.0 here: RSA-2048 13 µs, RSA-7680 161 µs, RSA-15360 633 µs), so anyone able to register a
    /// 16384-bit key (OpenSSL's own limit) could make each of their logins cost ~50 ordinary ones.
    public static let maximumRSAModulusBits = 8192

    /// An RSA public key from big-endian modulus and exponent (leading zero bytes allowed).
    ///
    /// Rejected with `.invalidKey`: a modulus shorter than `minimumModulusBits` or longer than
    /// `maximumRSAModulusBits`, an even modulus, and an exponent that is not "sane".
    /// Sane exponent: odd, 3 <= e, e < n, and at most 256 bits (65537 in practice).
    ///
    /// Built the legacy way (docs/DESIGN.md, "Cold keys"): an RSA from `RSA_new` + `RSA_set0_key`, which
    /// `SignatureVerifier` checks with `RSA_verify` / the PSS check directly (what the default provider runs under
    /// `EVP_PKEY_verify`), and an EVP_PKEY sharing it for SPKI and certificate uses. `EVP_PKEY_fromdata` with
    /// OSSL_PARAM_BLD cost about as much as a verify on top of it. Concurrency: nothing writes the RSA after this
    /// returns except OpenSSL's cache of the Montgomery context of n, made at the first verify under the RSA's lock.
    public static func rsa(modulus: UnsafeRawBufferPointer, exponent: UnsafeRawBufferPointer,
                           minimumModulusBits: Int = 2048) throws(CryptoError) -> PublicKey {
        let n = BigEndian.stripped(modulus)
        let e = BigEndian.stripped(exponent)
        let bits = BigEndian.bitLength(ofStripped: n)
        guard bits >= minimumModulusBits else {
            throw CryptoError(.invalidKey, "RSA modulus is \(bits) bits; at least \(minimumModulusBits) required")
        }
        guard bits <= maximumRSAModulusBits else {
            throw CryptoError(.invalidKey, "RSA modulus is \(bits) bits; at most \(maximumRSAModulusBits) supported")
        }
        guard let nLast = n.last, nLast & 1 == 1 else {
            throw CryptoError(.invalidKey, "RSA modulus is even")
        }
        guard let eLast = e.last else {
            throw CryptoError(.invalidKey, "RSA exponent is zero")
        }
        guard e.count <= 32 else {
            throw CryptoError(.invalidKey, "RSA exponent is longer than 256 bits")
        }
        guard eLast & 1 == 1 else {
            throw CryptoError(.invalidKey, "RSA exponent is even")
        }
        guard e.count > 1 || eLast >= 3 else {
            throw CryptoError(.invalidKey, "RSA exponent must be at least 3")
        }
        guard BigEndian.compare(stripped: e, n) < 0 else {
            throw CryptoError(.invalidKey, "RSA exponent is not less than the modulus")
        }
        guard let rsa = passkey_rsa_legacy_public_key(n.bytePointer, n.count, e.bytePointer, e.count) else {
            throw CryptoError.openssl(.invalidKey, "OpenSSL rejected the RSA public key")
        }
        guard let pkey = passkey_evp_pkey_sharing_rsa(rsa) else {
            passkey_rsa_legacy_free(rsa)
            throw CryptoError.openssl(.internalFailure, "cannot wrap the RSA key (out of memory)")
        }
        return PublicKey(adopting: pkey, kind: .rsa(bits: bits), rsaModulusByteCount: n.count, rsaKey: rsa)
    }

    /// Convenience over byte arrays.
    public static func rsa(modulus: [UInt8], exponent: [UInt8], minimumModulusBits: Int = 2048) throws(CryptoError) -> PublicKey {
        let result = modulus.withUnsafeBytes { nb in
            exponent.withUnsafeBytes { eb in
                Result { () throws(CryptoError) -> PublicKey in
                    try rsa(modulus: nb, exponent: eb, minimumModulusBits: minimumModulusBits)
                }
            }
        }
        return try result.get()
    }
}
