internal import CPasskeyOpenSSL

/// Builds and signs X.509 certificates (test CAs, software-authenticator attestation).
public struct CertificateBuilder {
    /// Subject attributes as (short name or dotted OID, UTF-8 value), e.g. ("C", "US"), ("OU", "x").
    public var subject: [(String, String)]
    /// Issuer attributes; nil means self-issued (issuer = subject).
    public var issuer: [(String, String)]?
    public var serial: UInt64
    /// Validity in Unix seconds.
    public var notBefore: Int64
    public var notAfter: Int64
    public var publicKey: PublicKey
    /// 1 or 3. Version 1 certificates cannot carry extensions.
    public var version: Int = 3
    /// basicConstraints (critical) cA:TRUE / cA:FALSE; nil omits the extension.
    public var isCA: Bool? = nil
    /// Version 3 only: add subjectKeyIdentifier (2.5.29.14) and authorityKeyIdentifier
    /// (2.5.29.35, from `issuerKey`), as real CAs do, after basicConstraints.
    public var includeKeyIdentifiers: Bool = true
    /// Further extensions; `derValue` is the contents of the extnValue OCTET STRING.
    public var extraExtensions: [(oid: String, critical: Bool, derValue: [UInt8])] = []

    public init(subject: [(String, String)], issuer: [(String, String)]? = nil, serial: UInt64,
                notBefore: Int64, notAfter: Int64, publicKey: PublicKey) {
        self.subject = subject
        self.issuer = issuer
        self.serial = serial
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.publicKey = publicKey
    }

    /// Signs with `issuerKey` (ECDSA / RSA PKCS#1 v1.5 with `hash`; EdDSA ignores `hash`).
    public func sign(with issuerKey: PrivateKey, hash: HashAlgorithm = .sha256) throws(CryptoError) -> Certificate {
        guard version == 1 || version == 3 else {
            throw CryptoError(.unsupported, "certificate version must be 1 or 3, not \(version)")
        }
        if version == 1, isCA != nil || !extraExtensions.isEmpty {
            throw CryptoError(.unsupported, "a version 1 certificate cannot carry extensions")
        }
        guard let x509 = X509_new() else { throw CryptoError.openssl(.internalFailure, "X509_new failed") }
        defer { X509_free(x509) }

        guard X509_set_version(x509, version == 1 ? 0 : 2) == 1,
              ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509), serial) == 1,
              ASN1_TIME_set(X509_getm_notBefore(x509), time_t(notBefore)) != nil,
              ASN1_TIME_set(X509_getm_notAfter(x509), time_t(notAfter)) != nil,
              X509_set_pubkey(x509, publicKey.pkey) == 1 else {
            throw CryptoError.openssl(.internalFailure, "cannot fill in the certificate")
        }
        try Self.setName(subject, on: x509, X509_set_subject_name)
        try Self.setName(issuer ?? subject, on: x509, X509_set_issuer_name)

        if let isCA {
            // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, ... }; DER omits a FALSE default.
            try Self.addExtension(to: x509, oid: "2.5.29.19", critical: true,
                                  value: isCA ? [0x30, 0x03, 0x01, 0x01, 0xFF] : [0x30, 0x00])
        }
        if version == 3, includeKeyIdentifiers {
            try Self.addExtension(to: x509, oid: "2.5.29.14", critical: false,
                                  value: Self.subjectKeyIdentifierValue(Self.keyIdentifier(publicKey.pkey)))
            try Self.addExtension(to: x509, oid: "2.5.29.35", critical: false,
                                  value: Self.authorityKeyIdentifierValue(Self.keyIdentifier(issuerKey.pkey)))
        }
        for ext in extraExtensions {
            try Self.addExtension(to: x509, oid: ext.oid, critical: ext.critical, value: ext.derValue)
        }

        let md: OpaquePointer? = if case .edwards = issuerKey.publicKey.kind { nil } else { hash.md }
        guard X509_sign(x509, issuerKey.pkey, md) > 0 else {
            throw CryptoError.openssl(.internalFailure, "signing the certificate failed")
        }
        guard let der = Certificate.encode(x509) else {
            throw CryptoError.openssl(.internalFailure, "encoding the certificate failed")
        }
        return try Certificate(der: der)
    }

    private static func setName(_ attributes: [(String, String)], on x509: OpaquePointer,
                                _ setter: (OpaquePointer?, OpaquePointer?) -> Int32) throws(CryptoError) {
        guard let name = X509_NAME_new() else { throw CryptoError.openssl(.internalFailure, "X509_NAME_new failed") }
        defer { X509_NAME_free(name) }
        for (field, value) in attributes {
            let bytes = Array(value.utf8)
            let ok = bytes.withUnsafeBufferPointer { buffer in
                X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, buffer.baseAddress, Int32(buffer.count), -1, 0) == 1
            }
            guard ok else {
                throw CryptoError.openssl(.unsupported,
                                          "cannot add name attribute \(field)=\(value)")
            }
        }
        guard setter(x509, name) == 1 else { throw CryptoError.openssl(.internalFailure, "cannot set a name") }
    }

    private static func addExtension(to x509: OpaquePointer, oid: String, critical: Bool, value: [UInt8]) throws(CryptoError) {
        guard let object = OBJ_txt2obj(oid, 1) else {
            throw CryptoError.openssl(.unsupported, "\(oid) is not a dotted OID")
        }
        defer { ASN1_OBJECT_free(object) }
        guard let octets = ASN1_OCTET_STRING_new() else { throw CryptoError.openssl(.internalFailure, "ASN1_OCTET_STRING_new failed") }
        defer { ASN1_OCTET_STRING_free(octets) }
        let set = value.withUnsafeBufferPointer { ASN1_OCTET_STRING_set(octets, $0.baseAddress, Int32($0.count)) == 1 }
        guard set, let ext = X509_EXTENSION_create_by_OBJ(nil, object, critical ? 1 : 0, octets) else {
            throw CryptoError.openssl(.internalFailure, "cannot create extension \(oid)")
        }
        defer { X509_EXTENSION_free(ext) }
        guard X509_add_ext(x509, ext, -1) == 1 else {
            throw CryptoError.openssl(.internalFailure, "cannot add extension \(oid)")
        }
    }
}
