internal import CPasskeyOpenSSL

extension CertificateBuilder {
    /// RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING contents.
    /// OpenSSL uses subject/authority key identifiers to pick the right issuer when several
    /// trusted certificates share a subject name.
    static func keyIdentifier(_ pkey: OpaquePointer) throws(CryptoError) -> [UInt8] {
        var publicKeyInfo: OpaquePointer?
        guard X509_PUBKEY_set(&publicKeyInfo, pkey) == 1, let publicKeyInfo else {
            throw CryptoError.openssl(.internalFailure, "cannot encode the public key")
        }
        defer { X509_PUBKEY_free(publicKeyInfo) }
        var bits: UnsafePointer<UInt8>?
        var length: Int32 = 0
        guard X509_PUBKEY_get0_param(nil, &bits, &length, nil, publicKeyInfo) == 1, let bits, length > 0 else {
            throw CryptoError.openssl(.internalFailure, "cannot read the public key bits")
        }
        var out = [UInt8](repeating: 0, count: HashAlgorithm.sha1.digestByteCount)
        let ok = out.withUnsafeMutableBytes { digest in
            DigestContext().digest(.sha1, UnsafeRawBufferPointer(start: bits, count: Int(length)),
                                   UnsafeRawBufferPointer(start: nil, count: 0), into: digest.baseAddress!)
        }
        guard ok else { throw CryptoError(.internalFailure, "SHA-1 failed") }
        return out
    }

    /// subjectKeyIdentifier extnValue: OCTET STRING keyIdentifier.
    static func subjectKeyIdentifierValue(_ id: [UInt8]) -> [UInt8] {
        [0x04, UInt8(id.count)] + id
    }

    /// authorityKeyIdentifier extnValue: SEQUENCE { [0] keyIdentifier }.
    static func authorityKeyIdentifierValue(_ id: [UInt8]) -> [UInt8] {
        [0x30, UInt8(id.count + 2), 0x80, UInt8(id.count)] + id
    }
}
