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
        guard let pkey = passkey_rsa_public_key(n.bytePointer, n.count, e.bytePointer, e.count) else {
            throw CryptoError.openssl(.invalidKey, "OpenSSL rejected the RSA public key")
        }
        return PublicKey(adopting: pkey, kind: .rsa(bits: bits), rsaModulusByteCount: n.count)
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
