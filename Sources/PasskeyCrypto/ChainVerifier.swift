internal import CPasskeyOpenSSL

/// Validates certificate chains against a fixed set of trust anchors with OpenSSL's
/// X509_STORE / X509_verify_cert.
///
/// No purpose is checked (attestation leaves often carry no usable EKU). Partial chains are
/// allowed, so an anchor may itself be an intermediate CA. Unknown critical extensions fail
/// verification, as OpenSSL does by default.
public struct ChainVerifier: Sendable {
    let store: TrustStore
    public let trustAnchors: [Certificate]

    public init(trustAnchors: [Certificate]) {
        self.trustAnchors = trustAnchors
        store = TrustStore(anchors: trustAnchors)
    }

    /// Validates leaf + intermediates up to one of the anchors at `time` (Unix seconds; nil =
    /// now). Returns nil on success, else OpenSSL's reason with the failing depth (`validate` gives it as a value).
    public func verify(leaf: Certificate, intermediates: [Certificate], at time: Int64?) -> String? {
        validate(leaf: leaf, intermediates: intermediates, at: time)?.description
    }
}

/// An X509_STORE built once. X509_STORE_CTX_init / X509_verify_cert only read it (under
/// its internal lock), so it is shared across threads.
final class TrustStore: @unchecked Sendable {
    let store: OpaquePointer?

    init(anchors: [Certificate]) {
        let store = X509_STORE_new()
        if let store {
            for anchor in anchors {
                _ = X509_STORE_add_cert(store, anchor.x509)
            }
        }
        OpenSSLErrors.clear()
        self.store = store
    }

    deinit {
        if let store { X509_STORE_free(store) }
    }
}
