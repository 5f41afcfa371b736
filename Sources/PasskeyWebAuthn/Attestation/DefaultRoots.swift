import PasskeyCrypto

/// The vendors' published attestation roots, as PEM (public certificates; where each came from is noted beside it and
/// in docs/attestation-roots.md). Parsed once per process.
enum DefaultRoots {
    /// (format, PEM certificates).
    static let pem: [(format: String, certificates: [String])] = []

    static let formatRoots: FormatRoots = {
        var roots: [String: TrustAnchors] = [:]
        for (format, pems) in pem {
            let certificates = pems.compactMap { try? Certificate(pem: $0) }
            precondition(certificates.count == pems.count, "a default \(format) root does not parse")
            roots[format] = TrustAnchors(certificates: certificates)
        }
        return FormatRoots(roots)
    }()
}
