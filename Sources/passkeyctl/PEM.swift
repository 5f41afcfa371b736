/// PEM → DER for the trust anchors: the first CERTIFICATE block of each string, as `passkeyd verify` reads them.
enum PEM {
    static let begin = "-----BEGIN CERTIFICATE-----"
    static let end = "-----END CERTIFICATE-----"

    static func certificateDER(_ pem: String) -> [UInt8]? {
        guard let b = pem.firstRange(of: begin), let e = pem[b.upperBound...].firstRange(of: end) else { return nil }
        guard let der = StandardBase64.decode(pem[b.upperBound..<e.lowerBound]), !der.isEmpty else { return nil }
        return der
    }
}
