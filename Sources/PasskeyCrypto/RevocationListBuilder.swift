internal import CPasskeyOpenSSL

/// Builds and signs version 2 CRLs (tests: a CA revoking the certificates it issued).
public struct RevocationListBuilder {
    /// The CA whose list this is: its subject becomes the CRL issuer.
    public var issuer: Certificate
    /// Certificates (issued by `issuer`) to list as revoked, by serial number.
    public var revoked: [Certificate]
    /// thisUpdate, also each entry's revocationDate; Unix seconds.
    public var thisUpdate: Int64
    /// nextUpdate; nil omits it.
    public var nextUpdate: Int64?

    public init(issuer: Certificate, revoked: [Certificate] = [], thisUpdate: Int64, nextUpdate: Int64?) {
        self.issuer = issuer
        self.revoked = revoked
        self.thisUpdate = thisUpdate
        self.nextUpdate = nextUpdate
    }

    /// Signs with the issuer's key (ECDSA / RSA PKCS#1 v1.5 with `hash`; EdDSA ignores `hash`).
    public func sign(with issuerKey: PrivateKey, hash: HashAlgorithm = .sha256) throws(CryptoError) -> RevocationList {
        guard let crl = X509_CRL_new() else { throw CryptoError.openssl(.internalFailure, "X509_CRL_new failed") }
        defer { X509_CRL_free(crl) }
        guard let now = ASN1_TIME_set(nil, time_t(thisUpdate)) else {
            throw CryptoError.openssl(.internalFailure, "cannot encode thisUpdate")
        }
        defer { ASN1_TIME_free(now) }
        let filled = withExtendedLifetime(issuer) {
            X509_CRL_set_version(crl, 1) == 1 && X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer.x509)) == 1
                && X509_CRL_set1_lastUpdate(crl, now) == 1
        }
        guard filled else { throw CryptoError.openssl(.internalFailure, "cannot fill in the revocation list") }
        if let nextUpdate {
            guard let next = ASN1_TIME_set(nil, time_t(nextUpdate)) else {
                throw CryptoError.openssl(.internalFailure, "cannot encode nextUpdate")
            }
            defer { ASN1_TIME_free(next) }
            guard X509_CRL_set1_nextUpdate(crl, next) == 1 else {
                throw CryptoError.openssl(.internalFailure, "cannot set nextUpdate")
            }
        }
        for certificate in revoked {
            guard let entry = X509_REVOKED_new() else { throw CryptoError.openssl(.internalFailure, "X509_REVOKED_new failed") }
            let ok = withExtendedLifetime(certificate) {
                X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(certificate.x509)) == 1
                    && X509_REVOKED_set_revocationDate(entry, now) == 1
            }
            guard ok, X509_CRL_add0_revoked(crl, entry) == 1 else {
                X509_REVOKED_free(entry)
                throw CryptoError.openssl(.internalFailure, "cannot add a revoked entry")
            }
        }
        guard X509_CRL_sort(crl) == 1 else { throw CryptoError.openssl(.internalFailure, "cannot sort the revocation list") }
        let md: OpaquePointer? = if case .edwards = issuerKey.publicKey.kind { nil } else { hash.md }
        guard X509_CRL_sign(crl, issuerKey.pkey, md) > 0 else {
            throw CryptoError.openssl(.internalFailure, "signing the revocation list failed")
        }
        guard let der = RevocationList.encode(crl) else {
            throw CryptoError.openssl(.internalFailure, "encoding the revocation list failed")
        }
        return try RevocationList(der: der)
    }
}
