internal import CPasskeyOpenSSL

extension PrivateKey {
    /// Signs `message` (hashing it as the scheme says). ECDSA returns DER; RSA-PSS uses
    /// MGF1 with the same hash and salt length = digest length.
    public func sign(_ message: [UInt8], scheme: SignatureScheme) throws(CryptoError) -> [UInt8] {
        switch (scheme, publicKey.kind) {
        case (.ecdsa, .ec), (.rsaPKCS1v15, .rsa), (.rsaPSS, .rsa), (.eddsa, .edwards):
            break
        default:
            throw CryptoError(.unsupported, "scheme \(scheme) does not fit a \(publicKey.kind) key")
        }
        guard let mdctx = EVP_MD_CTX_new() else {
            throw CryptoError.openssl(.internalFailure, "EVP_MD_CTX_new failed")
        }
        defer { EVP_MD_CTX_free(mdctx) }
        var pctx: OpaquePointer?
        guard EVP_DigestSignInit(mdctx, &pctx, scheme.hash?.md, nil, pkey) == 1, let pctx else {
            throw CryptoError.openssl(.internalFailure, "EVP_DigestSignInit failed")
        }
        if case .rsaPSS(let hash) = scheme {
            guard EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1,
                  EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, hash.md) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 else {
                throw CryptoError.openssl(.internalFailure, "cannot configure RSA-PSS signing")
            }
        } else if case .rsaPKCS1v15 = scheme {
            guard EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 else {
                throw CryptoError.openssl(.internalFailure, "cannot configure RSA PKCS#1 v1.5 signing")
            }
        }
        let result = message.withUnsafeBytes { msg -> [UInt8]? in
            var empty: UInt8 = 0
            return withUnsafePointer(to: &empty) { emptyPointer -> [UInt8]? in
                let input = msg.bytePointer ?? emptyPointer
                var length = 0
                guard EVP_DigestSign(mdctx, nil, &length, input, msg.count) == 1, length > 0 else { return nil }
                var signature = [UInt8](repeating: 0, count: length)
                guard EVP_DigestSign(mdctx, &signature, &length, input, msg.count) == 1 else { return nil }
                signature.removeSubrange(length...)
                return signature
            }
        }
        guard let result else {
            throw CryptoError.openssl(.internalFailure, "signing failed")
        }
        return result
    }
}
