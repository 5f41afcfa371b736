internal import CPasskeyOpenSSL

extension PublicKey {
    /// A pure-EdDSA public key from its encoding; exactly `curve.publicKeyByteCount` bytes.
    /// (OpenSSL decodes the point lazily: an undecodable key simply never verifies.)
    public static func edwards(curve: EdwardsCurve, publicKey: UnsafeRawBufferPointer) throws(CryptoError) -> PublicKey {
        guard publicKey.count == curve.publicKeyByteCount else {
            throw CryptoError(.invalidKey, "\(curve) public key must be \(curve.publicKeyByteCount) bytes, got \(publicKey.count)")
        }
        guard let pkey = passkey_edwards_public_key(curve.shimID, publicKey.bytePointer, publicKey.count) else {
            throw CryptoError.openssl(.invalidKey, "OpenSSL rejected the \(curve) public key")
        }
        return PublicKey(adopting: pkey, kind: .edwards(curve))
    }

    /// Convenience over a byte array.
    public static func edwards(curve: EdwardsCurve, publicKey: [UInt8]) throws(CryptoError) -> PublicKey {
        let result = publicKey.withUnsafeBytes { kb in
            Result { () throws(CryptoError) -> PublicKey in try edwards(curve: curve, publicKey: kb) }
        }
        return try result.get()
    }
}
