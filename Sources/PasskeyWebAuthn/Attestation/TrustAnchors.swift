public import PasskeyCrypto

/// Attestation trust anchors, parsed once at configuration time.
public struct TrustAnchors: Sendable {
    public let certificates: [Certificate]
    let verifier: ChainVerifier?

    public init() {
        certificates = []
        verifier = nil
    }

    /// `chainCache`: where chains validated against these anchors are remembered (nil: verified in full every time).
    public init(certificates: [Certificate], chainCache: VerifiedChainCache? = .shared) {
        self.certificates = certificates
        self.verifier = certificates.isEmpty ? nil : ChainVerifier(trustAnchors: certificates, cache: chainCache)
    }

    public var isEmpty: Bool { certificates.isEmpty }
}
