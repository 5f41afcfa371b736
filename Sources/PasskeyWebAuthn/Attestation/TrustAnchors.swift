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

    public var isEmpty: Bool { certificates.isEmpty }
}
