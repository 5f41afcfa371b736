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
        store = TrustStore(anchors: trustAnchors)
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
    public func validate(leaf: Certificate, intermediates: [Certificate], at time: Int64?) -> ChainFailure? {
        guard let trusted = store.store else { return ChainFailure(.untrusted, "trust store unavailable", depth: -1) }
        guard let ctx = X509_STORE_CTX_new() else {
            OpenSSLErrors.clear()
            return ChainFailure(.untrusted, "cannot allocate a verification context", depth: -1)
        }
        defer { X509_STORE_CTX_free(ctx) }
        guard let untrusted = passkey_x509_stack_new() else {
            OpenSSLErrors.clear()
            return ChainFailure(.untrusted, "cannot allocate a certificate stack", depth: -1)
        }
        defer { passkey_x509_stack_free(untrusted) }
        defer { OpenSSLErrors.clear() }

        return withExtendedLifetime((leaf, intermediates)) { () -> ChainFailure? in
            for certificate in intermediates where passkey_x509_stack_push(untrusted, certificate.x509) <= 0 {
                return ChainFailure(.untrusted, "cannot collect intermediates", depth: -1)
            }
            guard X509_STORE_CTX_init(ctx, trusted, leaf.x509, untrusted) == 1 else {
                return ChainFailure(.untrusted, "cannot initialise chain verification", depth: -1)
            }
            let param = X509_STORE_CTX_get0_param(ctx)
            X509_VERIFY_PARAM_set_flags(param, UInt(X509_V_FLAG_PARTIAL_CHAIN))
            if let time { X509_VERIFY_PARAM_set_time(param, time_t(time)) }
            if X509_verify_cert(ctx) == 1 { return nil }
            return ChainFailure.from(error: X509_STORE_CTX_get_error(ctx), depth: X509_STORE_CTX_get_error_depth(ctx))
        }
    }
}
