internal import CPasskeyOpenSSL

/// Validates certificate chains against a fixed set of trust anchors with OpenSSL's
/// X509_STORE / X509_verify_cert.
///
/// No purpose is checked (attestation leaves often carry no usable EKU). Partial chains are
/// allowed, so an anchor may itself be an intermediate CA. Unknown critical extensions fail
/// verification, as OpenSSL does by default.
public struct ChainVerifier: Sendable {
    private let store: TrustStore
    public let trustAnchors: [Certificate]

    public init(trustAnchors: [Certificate]) {
        self.trustAnchors = trustAnchors
        store = TrustStore(anchors: trustAnchors)
    }

    /// Validates leaf + intermediates up to one of the anchors at `time` (Unix seconds; nil =
    /// now). Returns nil on success, else OpenSSL's reason with the failing depth.
    public func verify(leaf: Certificate, intermediates: [Certificate], at time: Int64?) -> String? {
        guard let trusted = store.store else { return "trust store unavailable" }
        guard let ctx = X509_STORE_CTX_new() else {
            OpenSSLErrors.clear()
            return "cannot allocate a verification context"
        }
        defer { X509_STORE_CTX_free(ctx) }
        guard let untrusted = passkey_x509_stack_new() else {
            OpenSSLErrors.clear()
            return "cannot allocate a certificate stack"
        }
        defer { passkey_x509_stack_free(untrusted) }
        defer { OpenSSLErrors.clear() }

        return withExtendedLifetime((leaf, intermediates)) { () -> String? in
            for certificate in intermediates where passkey_x509_stack_push(untrusted, certificate.x509) <= 0 {
                return "cannot collect intermediates"
            }
            guard X509_STORE_CTX_init(ctx, trusted, leaf.x509, untrusted) == 1 else {
                return "cannot initialise chain verification"
            }
            let param = X509_STORE_CTX_get0_param(ctx)
            X509_VERIFY_PARAM_set_flags(param, UInt(X509_V_FLAG_PARTIAL_CHAIN))
            if let time { X509_VERIFY_PARAM_set_time(param, time_t(time)) }
            if X509_verify_cert(ctx) == 1 { return nil }
            let error = X509_STORE_CTX_get_error(ctx)
            let depth = X509_STORE_CTX_get_error_depth(ctx)
            let reason = X509_verify_cert_error_string(Int(error)).map { String(cString: $0) } ?? "error \(error)"
            return "\(reason) (depth \(depth))"
        }
    }
}

/// An X509_STORE built once. X509_STORE_CTX_init / X509_verify_cert only read it (under
/// its internal lock), so it is shared across threads.
private final class TrustStore: @unchecked Sendable {
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
