internal import CPasskeyOpenSSL

extension PrivateKey {
    /// The key as unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
    public func pkcs8PEM() -> String {
        MemoryBIO.writing { bio in
            PEM_write_bio_PrivateKey(bio, pkey, nil, nil, 0, nil, nil) == 1
        } ?? ""
    }

    /// Reads an unencrypted private key PEM (PKCS#8 or traditional). Encrypted keys are
    /// refused (no passphrase prompt).
    public static func fromPEM(_ pem: String) throws(CryptoError) -> PrivateKey {
        guard let pkey = MemoryBIO.reading(pem, { passkey_pem_read_private_key($0) }) else {
            throw CryptoError.openssl(.invalidKey, "no readable private key in PEM")
        }
        return try PrivateKey(adopting: pkey)
    }
}
