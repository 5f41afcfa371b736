internal import CPasskeyOpenSSL

extension PublicKey {
    /// A public key from a DER SubjectPublicKeyInfo (all bytes must be consumed).
    ///
    /// The key is rebuilt from its components through `ec`, `rsa` or `edwards`, so it gets the
    /// same validation and a canonical form (named curve, uncompressed point). RSA-PSS
    /// (id-RSASSA-PSS) keys are accepted as plain RSA keys.
    public static func subjectPublicKeyInfo(der: UnsafeRawBufferPointer,
                                            minimumRSAModulusBits: Int = 2048) throws(CryptoError) -> PublicKey {
        guard let base = der.bytePointer, der.count > 0 else {
            throw CryptoError(.invalidKey, "empty SubjectPublicKeyInfo")
        }
        var cursor: UnsafePointer<UInt8>? = base
        guard let pkey = d2i_PUBKEY(nil, &cursor, der.count) else {
            throw CryptoError.openssl(.invalidKey, "unparsable SubjectPublicKeyInfo")
        }
        defer { EVP_PKEY_free(pkey) }
        guard let cursor, cursor - base == der.count else {
            throw CryptoError(.invalidKey, "trailing bytes after SubjectPublicKeyInfo")
        }
        return try canonical(from: pkey, minimumRSAModulusBits: minimumRSAModulusBits)
    }

    /// Convenience over a byte array.
    public static func subjectPublicKeyInfo(der: [UInt8], minimumRSAModulusBits: Int = 2048) throws(CryptoError) -> PublicKey {
        let result = der.withUnsafeBytes { bytes in
            Result { () throws(CryptoError) -> PublicKey in
                try subjectPublicKeyInfo(der: bytes, minimumRSAModulusBits: minimumRSAModulusBits)
            }
        }
        return try result.get()
    }

    /// A validated, public-only copy of any EVP_PKEY's public half (the argument is borrowed).
    static func canonical(from pkey: OpaquePointer, minimumRSAModulusBits: Int) throws(CryptoError) -> PublicKey {
        switch try KeyComponents.family(of: pkey) {
        case .ec(let curve):
            let (x, y) = try KeyComponents.ecCoordinates(pkey, curve: curve)
            return try .ec(curve: curve, x: x, y: y)
        case .rsa:
            let (n, e) = try KeyComponents.rsaComponents(pkey)
            return try .rsa(modulus: n, exponent: e, minimumModulusBits: minimumRSAModulusBits)
        case .edwards(let curve):
            return try .edwards(curve: curve, publicKey: KeyComponents.rawPublicKey(pkey, curve: curve))
        }
    }
}
