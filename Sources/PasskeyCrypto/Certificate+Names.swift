internal import CPasskeyOpenSSL

extension Certificate {
    /// All subject OU values, in order.
    public var subjectOrganizationalUnits: [String] { subjectValues(NID_organizationalUnitName) }
    /// The first subject C value.
    public var subjectCountry: String? { subjectValues(NID_countryName).first }
    /// The first subject O value.
    public var subjectOrganization: String? { subjectValues(NID_organizationName).first }
    /// The first subject CN value.
    public var subjectCommonName: String? { subjectValues(NID_commonName).first }

    /// The subject as (short name, value) pairs, in order, e.g. [("C", "US"), ("CN", "x")].
    public var subjectAttributes: [(String, String)] { Self.attributes(X509_get_subject_name(x509)) }
    /// The issuer as (short name, value) pairs, in order.
    public var issuerAttributes: [(String, String)] { Self.attributes(X509_get_issuer_name(x509)) }

    private func subjectValues(_ nid: Int32) -> [String] {
        guard let name = X509_get_subject_name(x509) else { return [] }
        var values = [String]()
        var index: Int32 = -1
        while true {
            index = X509_NAME_get_index_by_NID(name, nid, index)
            guard index >= 0 else { break }
            if let entry = X509_NAME_get_entry(name, index), let value = Self.utf8(entry) {
                values.append(value)
            }
        }
        return values
    }

    private static func attributes(_ name: OpaquePointer?) -> [(String, String)] {
        guard let name else { return [] }
        let count = X509_NAME_entry_count(name)
        guard count > 0 else { return [] }
        return (0..<count).compactMap { i -> (String, String)? in
            guard let entry = X509_NAME_get_entry(name, i), let object = X509_NAME_ENTRY_get_object(entry),
                  let value = utf8(entry) else { return nil }
            let nid = OBJ_obj2nid(object)
            let shortName = nid != NID_undef ? OBJ_nid2sn(nid).map { String(cString: $0) } : nil
            return (shortName ?? dottedOID(object) ?? "?", value)
        }
    }

    /// An entry's value converted to UTF-8 by OpenSSL (nil if it cannot be).
    private static func utf8(_ entry: OpaquePointer) -> String? {
        guard let data = X509_NAME_ENTRY_get_data(entry) else { return nil }
        var out: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&out, data)
        guard length >= 0, let out else {
            OpenSSLErrors.clear()
            return nil
        }
        defer { passkey_openssl_free(out) }
        return String(decoding: UnsafeBufferPointer(start: out, count: Int(length)), as: UTF8.self)
    }
}
