internal import CPasskeyOpenSSL

extension Certificate {
    /// basicConstraints cA; nil if the extension is absent.
    public var basicConstraintsCA: Bool? {
        let flags = X509_get_extension_flags(x509)
        guard flags & UInt32(EXFLAG_BCONS) != 0 else { return nil }
        return flags & UInt32(EXFLAG_CA) != 0
    }

    /// Whether the extension with this dotted OID is present and marked critical.
    public func isExtensionCritical(oid dotted: String) -> Bool {
        guard let ext = self.extension(oid: dotted) else { return false }
        return X509_EXTENSION_get_critical(ext) == 1
    }

    /// The extnValue OCTET STRING *contents* (the raw DER inside) of the extension with this
    /// dotted OID, or nil if absent (or the OID is not a valid dotted OID).
    public func extensionValue(oid dotted: String) -> [UInt8]? {
        guard let ext = self.extension(oid: dotted), let data = X509_EXTENSION_get_data(ext) else { return nil }
        let length = Int(ASN1_STRING_length(data))
        guard length > 0, let bytes = ASN1_STRING_get0_data(data) else { return [] }
        return Array(UnsafeBufferPointer(start: bytes, count: length))
    }

    /// The X509_EXTENSION with this dotted OID (unique: repeats are rejected at parse time).
    private func `extension`(oid dotted: String) -> OpaquePointer? {
        guard let object = OBJ_txt2obj(dotted, 1) else {
            OpenSSLErrors.clear()
            return nil
        }
        defer { ASN1_OBJECT_free(object) }
        let index = X509_get_ext_by_OBJ(x509, object, -1)
        guard index >= 0 else { return nil }
        return X509_get_ext(x509, index)
    }

    /// Dotted OIDs of all extensions, in order.
    public var extensionOIDs: [String] {
        Self.extensionOIDs(x509)
    }

    static func extensionOIDs(_ x509: OpaquePointer) -> [String] {
        let count = X509_get_ext_count(x509)
        guard count > 0 else { return [] }
        return (0..<count).compactMap { i in
            guard let ext = X509_get_ext(x509, i), let object = X509_EXTENSION_get_object(ext) else { return nil }
            return dottedOID(object)
        }
    }

    /// A repeated extension would make `extensionValue` ambiguous: refuse the certificate.
    static func rejectRepeatedExtensions(_ x509: OpaquePointer) throws(CryptoError) {
        var seen = Set<String>()
        for oid in extensionOIDs(x509) where !seen.insert(oid).inserted {
            throw CryptoError(.malformedCertificate, "extension \(oid) appears more than once")
        }
    }

    static func dottedOID(_ object: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 128)
        let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        guard length > 0, Int(length) < buffer.count else { return nil }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension Certificate {
    /// SHA-1 of the subjectPublicKey BIT STRING contents (RFC 5280 §4.2.1.2, method 1): what FIDO metadata calls an
    /// attestation certificate key identifier. Computed from the key, whatever the certificate's own SKI says.
    public var publicKeyIdentifier: [UInt8] {
        guard let pkey = X509_get0_pubkey(x509) else {
            OpenSSLErrors.clear()
            return []
        }
        return (try? CertificateBuilder.keyIdentifier(pkey)) ?? []
    }
}
