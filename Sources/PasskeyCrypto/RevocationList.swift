internal import CPasskeyOpenSSL

/// A parsed X.509 certificate revocation list (RFC 5280 §5), for chain validation with revocation checking
/// (`ChainVerifier(trustAnchors:revocationLists:)`).
///
/// Sendable: never mutated after parsing.
public final class RevocationList: @unchecked Sendable {
    let crl: OpaquePointer
    /// The exact DER this list was parsed from.
    public let derBytes: [UInt8]

    /// Parses one DER CRL (d2i_X509_CRL; every byte must be consumed).
    public init(der: [UInt8]) throws(CryptoError) {
        let parsed = der.withUnsafeBytes { bytes -> OpaquePointer? in
            guard let base = bytes.bytePointer, !bytes.isEmpty else { return nil }
            var cursor: UnsafePointer<UInt8>? = base
            guard let crl = d2i_X509_CRL(nil, &cursor, bytes.count) else { return nil }
            guard let cursor, cursor - base == bytes.count else {
                X509_CRL_free(crl)
                return nil
            }
            return crl
        }
        guard let parsed else {
            throw CryptoError.openssl(.malformedCertificate, "not a DER certificate revocation list (or trailing bytes)")
        }
        crl = parsed
        derBytes = der
        OpenSSLErrors.clear()
    }

    deinit { X509_CRL_free(crl) }

    /// Every CRL in a file's contents: one or more PEM "X509 CRL" blocks, or one DER CRL. At most `limit` of them.
    public static func parseFile(_ contents: [UInt8], limit: Int = 64) throws(CryptoError) -> [RevocationList] {
        let marker = Array("-----BEGIN X509 CRL-----".utf8)
        guard contents.firstRange(of: marker) != nil else { return [try RevocationList(der: contents)] }
        var lists: [RevocationList] = []
        var rest = contents[...]
        while let start = rest.firstRange(of: marker) {
            guard lists.count < limit else {
                throw CryptoError(.unsupported, "more than \(limit) revocation lists in one file")
            }
            let end = rest[start.upperBound...].firstRange(of: Array("-----END X509 CRL-----".utf8))
            guard let end else { throw CryptoError(.malformedCertificate, "PEM revocation list without its END line") }
            let block = String(decoding: rest[start.lowerBound..<end.upperBound], as: UTF8.self) + "\n"
            let der: [UInt8]? = MemoryBIO.reading(block) { bio -> [UInt8]? in
                guard let crl = PEM_read_bio_X509_CRL(bio, nil, nil, nil) else { return nil }
                defer { X509_CRL_free(crl) }
                return encode(crl)
            }
            guard let der else { throw CryptoError.openssl(.malformedCertificate, "unreadable PEM revocation list \(lists.count)") }
            lists.append(try RevocationList(der: der))
            rest = rest[end.upperBound...]
        }
        return lists
    }

    /// thisUpdate and nextUpdate in Unix seconds (nextUpdate nil when the list has none).
    public var thisUpdate: Int64? { ASN1Time.unixSeconds(X509_CRL_get0_lastUpdate(crl)) }
    public var nextUpdate: Int64? { ASN1Time.unixSeconds(X509_CRL_get0_nextUpdate(crl)) }

    static func encode(_ crl: OpaquePointer) -> [UInt8]? {
        let length = i2d_X509_CRL(crl, nil)
        guard length > 0 else { return nil }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_X509_CRL(crl, &cursor)
        }
        return written == length ? out : nil
    }
}
