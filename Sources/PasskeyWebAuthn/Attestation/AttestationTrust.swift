import PasskeyJSON
import PasskeyCrypto
import PasskeyMetadata

/// The attestation part of a registration, once every check of the policy has passed.
struct AttestationOutcome {
    let type: AttestationType
    let trustPath: [Certificate]
    /// nil: not trusted.
    let trustSource: String?
    let metadata: MetadataEntry?
    let details: [AttestationDetail]
}

extension WebAuthnVerifier {
    /// §7.1 steps 21–24 under the relying party's attestation policy: verify the statement (or, in mode `none`, try
    /// to), apply the AAGUID allow-list and metadata status reports, then evaluate trust and require it in mode
    /// `trusted`.
    func verifyAttestation(_ object: AttestationObject, _ inputs: StatementInputs) throws(WebAuthnError)
        -> AttestationOutcome
    {
        let policy = inputs.policy
        let attestationPolicy = policy.attestation
        let mode = attestationPolicy.effectiveMode(policyHasAnchors: !policy.trustAnchors.isEmpty)
        var details: [AttestationDetail] = []
        let statement: StatementResult
        do {
            statement = try verifyAttestationStatement(
                format: object.format, reader: object.reader, statement: object.statement, inputs)
        } catch {
            // Mode none: the relying party does not use attestation, so a statement that fails never fails the
            // registration; what went wrong is reported.
            guard mode == .none else { throw error }
            statement = StatementResult(type: .none, certificates: [])
            details.append(AttestationDetail("attestation_error", error.code.rawValue))
        }
        details += statement.details
        for part in statement.contained {
            details.append(AttestationDetail("compound_part", "\(part.format):\(part.result.type.rawValue)"))
            details += part.result.details
        }

        let aaguid = Array(inputs.authData.attested!.aaguid)
        if let allowed = attestationPolicy.allowedAAGUIDs, !allowed.contains(aaguid) {
            throw WebAuthnError(.aaguidNotAllowed, "authenticator AAGUID \(UUIDText.format(aaguid)) is not one this relying party accepts")
        }

        let chains = statement.contained.isEmpty ? [statement] : statement.contained.map(\.result)
        let entry = metadataEntry(attestationPolicy.metadata?.index, aaguid: aaguid, leaf: chains.lazy.compactMap(\.certificates.first).first)
        if let entry, mode != .none {
            let refused = entry.statuses(in: attestationPolicy.rejectedStatuses)
            if !refused.isEmpty {
                throw WebAuthnError(
                    .authenticatorStatusRejected,
                    "metadata reports \(refused.map(\.rawValue).joined(separator: ", ")) for '\(clipped(entry.description))'")
            }
        }

        // Trust: the first chain (a compound statement's parts in order) that validates to any source.
        var reasons: [String] = []
        var trustPath: [Certificate] = chains.first { !$0.certificates.isEmpty }?.certificates ?? []
        var source: String? = nil
        // A compound part is anchored by its own format's roots (by position: parsed certificates may be shared
        // instances, so a leaf's identity does not name its part).
        let formats = statement.contained.isEmpty ? [object.format] : statement.contained.map(\.format)
        for (chain, format) in zip(chains, formats) where !chain.certificates.isEmpty {
            if let found = trustSource(chain.certificates, format: format, policy: policy, entry: entry, reasons: &reasons) {
                source = found
                trustPath = chain.certificates
                break
            }
        }
        if mode == .trusted, source == nil {
            if trustPath.isEmpty {
                throw WebAuthnError(
                    .untrustedAttestation,
                    "the policy requires trusted attestation but the '\(clipped(object.format))' attestation (\(statement.type.rawValue)) has no certificate chain")
            }
            throw WebAuthnError(
                .untrustedAttestation,
                "attestation certificate chain does not validate: \(reasons.isEmpty ? "no trust anchor, format root or metadata entry applies" : reasons.joined(separator: "; "))")
        }
        return AttestationOutcome(type: statement.type, trustPath: trustPath, trustSource: source, metadata: entry, details: details)
    }

    /// Validates `chain` against, in order, the policy's anchors, the format's roots and the metadata entry's roots;
    /// the name of the first that accepts it, or nil (with each refusal's reason added to `reasons`).
    private func trustSource(
        _ chain: [Certificate], format partFormat: String, policy: Policy, entry: MetadataEntry?, reasons: inout [String]
    ) -> String? {
        let leaf = chain[0]
        let intermediates = Array(chain.dropFirst())
        var candidates: [(String, ChainVerifier)] = []
        if let v = policy.trustAnchors.verifier { candidates.append(("anchors", v)) }
        if let v = policy.attestation.formatRoots.anchors(for: partFormat)?.verifier { candidates.append(("format_roots", v)) }
        if let v = entry?.rootVerifier { candidates.append(("metadata", v)) }
        for (name, verifier) in candidates {
            guard let reason = verifier.verify(leaf: leaf, intermediates: intermediates, at: policy.verificationTime) else {
                return name
            }
            reasons.append("\(name): \(reason)")
        }
        return nil
    }

    /// The metadata entry for the authenticator: by AAGUID, or (U2F, zero AAGUID) by the attestation certificate's
    /// key identifier.
    func metadataEntry(_ index: MetadataIndex?, aaguid: [UInt8], leaf: Certificate?) -> MetadataEntry? {
        guard let index else { return nil }
        if aaguid.contains(where: { $0 != 0 }) { return index.entry(aaguid: aaguid) }
        guard let leaf else { return nil }
        return index.entry(attestationCertificateKeyIdentifier: leaf.publicKeyIdentifier)
    }
}
