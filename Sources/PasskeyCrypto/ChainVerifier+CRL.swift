internal import CPasskeyOpenSSL

/// Why a chain did not validate, as a kind a caller can act on plus OpenSSL's reason and the failing depth.
public struct ChainFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// A certificate's notAfter is before the verification time.
        case expired
        /// A certificate's notBefore is after the verification time.
        case notYetValid
        /// A revocation list given to the verifier lists a certificate of the chain.
        case revoked
        /// Revocation checking is on and could not be decided: no CRL from a certificate's issuer, a CRL that is
        /// expired, not yet valid, or whose signature does not verify.
        case revocationUnknown
        /// Anything else: no path to an anchor, a bad signature, a constraint broken.
        case untrusted
    }

    public let kind: Kind
    /// OpenSSL's text for the error.
    public let reason: String
    /// 0 = the leaf; -1 when the failure is not about one certificate.
    public let depth: Int

    public init(_ kind: Kind, _ reason: String, depth: Int) {
        self.kind = kind
        self.reason = reason
        self.depth = depth
    }

    public var description: String { depth < 0 ? reason : "\(reason) (depth \(depth))" }

    static func from(error: Int32, depth: Int32) -> ChainFailure {
        let reason = X509_verify_cert_error_string(Int(error)).map { String(cString: $0) } ?? "error \(error)"
        let kind: Kind =
            switch error {
            case X509_V_ERR_CERT_HAS_EXPIRED: .expired
            case X509_V_ERR_CERT_NOT_YET_VALID: .notYetValid
            case X509_V_ERR_CERT_REVOKED: .revoked
            case X509_V_ERR_UNABLE_TO_GET_CRL, X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE, X509_V_ERR_CRL_SIGNATURE_FAILURE,
                X509_V_ERR_CRL_NOT_YET_VALID, X509_V_ERR_CRL_HAS_EXPIRED, X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD,
                X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD, X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER, X509_V_ERR_KEYUSAGE_NO_CRL_SIGN,
                X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION, X509_V_ERR_DIFFERENT_CRL_SCOPE, X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
                .revocationUnknown
            default: .untrusted
            }
        return ChainFailure(kind, reason, depth: Int(depth))
    }
}

extension ChainVerifier {
    /// A verifier that also checks revocation: every certificate of the chain below the anchor must be covered by a
    /// CRL from `revocationLists` issued by its issuer, current at the verification time, and must not be listed
    /// (OpenSSL's X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL; RFC 5280 §6.3). No CRL is fetched: the lists
    /// given are all there is. With no lists this is `init(trustAnchors:)`.
    public init(trustAnchors: [Certificate], revocationLists: [RevocationList]) {
        self.trustAnchors = trustAnchors
        // A CRL's own window and the lists' contents are not part of a cache entry: revocation is never cached.
        store = TrustStore(anchors: trustAnchors, cache: revocationLists.isEmpty ? .shared : nil)
        guard !revocationLists.isEmpty, let x509Store = store.store else { return }
        for list in revocationLists {
            _ = X509_STORE_add_crl(x509Store, list.crl)  // takes its own reference
        }
        // Contexts made from the store inherit its flags; `validate` adds PARTIAL_CHAIN on top.
        X509_STORE_set_flags(x509Store, UInt(X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL))
        OpenSSLErrors.clear()
    }

    /// Validates leaf + intermediates up to one of the anchors at `time` (Unix seconds; nil = now), with revocation
    /// when the verifier has revocation lists. Returns nil on success.
    ///
    /// With a cache: a chain found whole is accepted without verifying a signature; intermediates found as a
    /// verified issuer leave only the leaf to verify, against `intermediates[0]`; anything else is verified in full
    /// and, when it validates, remembered (`VerifiedChainCache` says what makes that sound).
    public func validate(leaf: Certificate, intermediates: [Certificate], at time: Int64?) -> ChainFailure? {
        guard let cache = store.cache else {
            return verifyChain(leaf: leaf, untrusted: intermediates, trustedIssuer: nil, at: time).failure
        }
        let now = time ?? WallClock.now()
        let generation = store.generation
        let pathKey = VerifiedChainCache.Key(generation: generation, kind: .path, certificates: CollectionOfOne(leaf) + intermediates)
        if cache.lookup(pathKey, at: now) != nil { return nil }
        if let issuer = intermediates.first {
            let issuerKey = VerifiedChainCache.Key(generation: generation, kind: .issuer, certificates: intermediates)
            if let above = cache.lookup(issuerKey, at: now) {
                // x5c is ordered (each certificate certifies the one before), so the leaf's issuer is intermediates[0];
                // a leaf it did not issue, or that is expired or malformed, fails here as it would in full.
                let leafOnly = verifyChain(leaf: leaf, untrusted: [], trustedIssuer: issuer, at: now)
                cache.recordVerification(signatures: leafOnly.failure == nil ? 1 : 0)
                if leafOnly.failure == nil, let window = leafOnly.window {
                    // The path's window: the leaf and its issuer (this run) and everything above (the issuer entry).
                    cache.insert(pathKey, notBefore: max(window.notBefore, above.notBefore), notAfter: min(window.notAfter, above.notAfter))
                }
                return leafOnly.failure
            }
        }
        cache.recordMiss()
        let full = verifyChain(leaf: leaf, untrusted: intermediates, trustedIssuer: nil, at: time)
        cache.recordVerification(signatures: full.failure == nil ? full.signatures : 0)
        guard full.failure == nil, let window = full.window else { return full.failure }
        cache.insert(pathKey, notBefore: window.notBefore, notAfter: window.notAfter)
        if let issuerWindow = full.issuerWindow, !intermediates.isEmpty {
            cache.insert(
                VerifiedChainCache.Key(generation: generation, kind: .issuer, certificates: intermediates),
                notBefore: issuerWindow.notBefore, notAfter: issuerWindow.notAfter)
        }
        return nil
    }

    /// One X509_verify_cert. `trustedIssuer`: the leaf's only trust anchor (a cached issuer), instead of the store's.
    private func verifyChain(leaf: Certificate, untrusted intermediates: [Certificate], trustedIssuer: Certificate?, at time: Int64?)
        -> ChainRun
    {
        guard let trusted = store.store else { return ChainRun(ChainFailure(.untrusted, "trust store unavailable", depth: -1)) }
        guard let untrusted = passkey_x509_stack_new() else {
            OpenSSLErrors.clear()
            return ChainRun(ChainFailure(.untrusted, "cannot allocate a certificate stack", depth: -1))
        }
        defer { passkey_x509_stack_free(untrusted) }
        guard let anchors = passkey_x509_stack_new() else {
            OpenSSLErrors.clear()
            return ChainRun(ChainFailure(.untrusted, "cannot allocate a certificate stack", depth: -1))
        }
        defer { passkey_x509_stack_free(anchors) }
        // Declared after the stacks, so freed before them: the context points into both.
        guard let ctx = X509_STORE_CTX_new() else {
            OpenSSLErrors.clear()
            return ChainRun(ChainFailure(.untrusted, "cannot allocate a verification context", depth: -1))
        }
        defer { X509_STORE_CTX_free(ctx) }
        defer { OpenSSLErrors.clear() }

        return withExtendedLifetime((leaf, intermediates, trustedIssuer)) { () -> ChainRun in
            for certificate in intermediates where passkey_x509_stack_push(untrusted, certificate.x509) <= 0 {
                return ChainRun(ChainFailure(.untrusted, "cannot collect intermediates", depth: -1))
            }
            guard X509_STORE_CTX_init(ctx, trusted, leaf.x509, untrusted) == 1 else {
                return ChainRun(ChainFailure(.untrusted, "cannot initialise chain verification", depth: -1))
            }
            if let trustedIssuer {
                guard passkey_x509_stack_push(anchors, trustedIssuer.x509) > 0 else {
                    return ChainRun(ChainFailure(.untrusted, "cannot collect the issuer", depth: -1))
                }
                X509_STORE_CTX_set0_trusted_stack(ctx, anchors)
            }
            let param = X509_STORE_CTX_get0_param(ctx)
            X509_VERIFY_PARAM_set_flags(param, UInt(X509_V_FLAG_PARTIAL_CHAIN))
            if let time { X509_VERIFY_PARAM_set_time(param, time_t(time)) }
            guard X509_verify_cert(ctx) == 1 else {
                return ChainRun(ChainFailure.from(error: X509_STORE_CTX_get_error(ctx), depth: X509_STORE_CTX_get_error_depth(ctx)))
            }
            return ChainRun(built: X509_STORE_CTX_get0_chain(ctx), leadingIntermediate: intermediates.first)
        }
    }
}

/// The outcome of one X509_verify_cert and, when it validated, what the cache needs of the chain OpenSSL built.
struct ChainRun {
    struct Window { var notBefore: Int64, notAfter: Int64 }
    let failure: ChainFailure?
    /// Over the whole built chain, anchor included; nil if a time was unreadable (then nothing is cached).
    var window: Window? = nil
    /// Over the built chain above the leaf, when an issuer entry is sound for it: the leaf's issuer in the built chain
    /// is the first intermediate sent, and nothing above the leaf has constraints that depend on the leaf.
    var issuerWindow: Window? = nil
    /// Certificate signatures checked: the built chain's length less its anchor.
    var signatures = 0

    init(_ failure: ChainFailure) { self.failure = failure }

    init(built chain: OpaquePointer?, leadingIntermediate: Certificate?) {
        failure = nil
        guard let chain else { return }
        let count = Int(passkey_x509_stack_count(chain))
        signatures = max(0, count - 1)
        var whole = Window(notBefore: .min, notAfter: .max)
        var above = whole
        var issuerSound = count >= 2
        for i in 0..<count {
            guard let x509 = passkey_x509_stack_at(chain, Int32(i)),
                  let notBefore = ASN1Time.unixSeconds(X509_get0_notBefore(x509)),
                  let notAfter = ASN1Time.unixSeconds(X509_get0_notAfter(x509)) else { return }
            whole.notBefore = max(whole.notBefore, notBefore)
            whole.notAfter = min(whole.notAfter, notAfter)
            guard i > 0 else { continue }
            above.notBefore = max(above.notBefore, notBefore)
            above.notAfter = min(above.notAfter, notAfter)
            if i == 1, leadingIntermediate.map({ X509_cmp(x509, $0.x509) != 0 }) ?? true { issuerSound = false }
            for nid in [NID_name_constraints, NID_policy_constraints, NID_policy_mappings, NID_inhibit_any_policy]
            where X509_get_ext_by_NID(x509, nid, -1) >= 0 {
                issuerSound = false
            }
        }
        window = whole
        if issuerSound { issuerWindow = above }
    }
}
