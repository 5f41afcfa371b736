public import PasskeyCrypto

/// Attestation trust anchors, parsed once at configuration time.
public struct TrustAnchors: Sendable {
    public let certificates: [Certificate]
    let verifier: ChainVerifier?

    public init() {
        certificates = []
        verifier = nil
    }

    public init(certificates: [Certificate]) {
        self.certificates = certificates
        self.verifier = certificates.isEmpty ? nil : ChainVerifier(trustAnchors: certificates)
    }

    /// Parses PEM certificates (each string may hold one certificate).
    public init(pem: [String]) throws(WebAuthnError) {
        var certs: [Certificate] = []
        for (i, p) in pem.enumerated() {
            do throws(CryptoError) {
                certs.append(try Certificate(pem: p))
            } catch {
                throw WebAuthnError(.malformedRequest, "trust anchor \(i) is not a PEM certificate: \(error.message)")
            }
        }
        self.init(certificates: certs)
    }

    public var isEmpty: Bool { certificates.isEmpty }
}
