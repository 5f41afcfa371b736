internal import CPasskeyOpenSSL
import Synchronization

/// Validates certificate chains against a fixed set of trust anchors with OpenSSL's
/// X509_STORE / X509_verify_cert.
///
/// No purpose is checked (attestation leaves often carry no usable EKU). Partial chains are
/// allowed, so an anchor may itself be an intermediate CA. Unknown critical extensions fail
/// verification, as OpenSSL does by default.
///
/// Chains that validated are remembered in a `VerifiedChainCache` (the process-wide one unless another is given),
/// keyed on this verifier's own trust store, so a chain or an intermediate many registrations share is verified once.
public struct ChainVerifier: Sendable {
    let store: TrustStore
    public let trustAnchors: [Certificate]

    public init(trustAnchors: [Certificate]) {
        self.init(trustAnchors: trustAnchors, cache: .shared)
    }

    /// `cache` nil: every chain is verified in full.
    public init(trustAnchors: [Certificate], cache: VerifiedChainCache?) {
        self.trustAnchors = trustAnchors
        store = TrustStore(anchors: trustAnchors, cache: cache)
    }

    /// Validates leaf + intermediates up to one of the anchors at `time` (Unix seconds; nil =
    /// now). Returns nil on success, else OpenSSL's reason with the failing depth (`validate` gives it as a value).
    public func verify(leaf: Certificate, intermediates: [Certificate], at time: Int64?) -> String? {
        validate(leaf: leaf, intermediates: intermediates, at: time)?.description
    }

    /// The cache this verifier uses; nil when it has none (or checks revocation, which is never cached).
    public var cache: VerifiedChainCache? { store.cache }
}

/// An X509_STORE built once. X509_STORE_CTX_init / X509_verify_cert only read it (under
/// its internal lock), so it is shared across threads.
final class TrustStore: @unchecked Sendable {
    let store: OpaquePointer?
    /// Unique per store for the life of the process: the cache's entries are keyed on it.
    let generation: UInt64
    let cache: VerifiedChainCache?

    private static let generations = Atomic<UInt64>(0)

    init(anchors: [Certificate], cache: VerifiedChainCache?) {
        let store = X509_STORE_new()
        if let store {
            for anchor in anchors {
                _ = X509_STORE_add_cert(store, anchor.x509)
            }
        }
        OpenSSLErrors.clear()
        self.store = store
        self.cache = cache
        generation = Self.generations.add(1, ordering: .relaxed).newValue
    }

    deinit {
        if let store { X509_STORE_free(store) }
    }
}
