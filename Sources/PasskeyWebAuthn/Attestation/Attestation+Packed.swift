import PasskeyJSON
import PasskeyCOSE
import PasskeyCrypto

extension WebAuthnVerifier {
    /// The `packed` format (WebAuthn §8.2): full attestation with x5c, or self attestation.
    func verifyPacked(_ statement: AttestationStatementReader, _ inputs: StatementInputs) throws(WebAuthnError) -> StatementResult {
        let authData = inputs.authData, credentialEntry = inputs.credentialEntry, clientDataHash = inputs.clientDataHash
        if statement.has("ecdaaKeyId") {
            throw WebAuthnError(
                .ecdaaNotSupported, "ECDAA attestation (ecdaaKeyId) is not supported: no current authenticator uses it and L3 removed it")
        }
        let alg = try statement.algorithm()
        let sig = try statement.signature()
        if let certificates = try statement.certificates() {
            let leaf = certificates[0]
            let key: PublicKey
            do throws(CryptoError) {
                key = try leaf.publicKey
            } catch {
                throw WebAuthnError(.invalidAttestationCertificate, "packed attestation certificate key: \(error.message)")
            }
            try checkAttestationAlgorithm(alg, format: "packed", inputs.policy)
            try checkKey(key, fits: alg, what: "packed attestation certificate")
            try clientDataHash.withBytes { (hash) throws(WebAuthnError) in
                try verifySignature(
                    sig, authenticatorData: authData.bytes, clientDataHash: hash, key: key, algorithm: alg,
                    what: "packed attestation")
            }
            try checkPackedCertificate(leaf, aaguid: authData.attested!.aaguid)
            return StatementResult(type: .basic, certificates: certificates)
        }
        // Self attestation: the credential key signs, with its own algorithm.
        guard alg == credentialEntry.algorithm else {
            throw WebAuthnError(
                .algorithmMismatch,
                "packed self attestation alg \(alg) is not the credential key's algorithm \(credentialEntry.algorithm)")
        }
        try clientDataHash.withBytes { (hash) throws(WebAuthnError) in
            try verifySignature(
                sig, authenticatorData: authData.bytes, clientDataHash: hash, key: credentialEntry.key,
                algorithm: alg, what: "packed self attestation")
        }
        return StatementResult(type: .self, certificates: [])
    }

    /// Packed attestation certificate requirements (WebAuthn §8.2.1).
    func checkPackedCertificate(_ cert: Certificate, aaguid: UnsafeRawBufferPointer) throws(WebAuthnError) {
        func fail(_ why: String) -> WebAuthnError {
            WebAuthnError(.invalidAttestationCertificate, "packed attestation certificate: \(why)")
        }
        guard cert.version == 3 else { throw fail("version is \(cert.version), must be 3") }
        guard let country = cert.subjectCountry, country.utf8.count == 2 else {
            throw fail("subject C is missing or not a two-letter ISO 3166 code")
        }
        guard let org = cert.subjectOrganization, !org.isEmpty else { throw fail("subject O is missing") }
        guard cert.subjectOrganizationalUnits.contains("Authenticator Attestation") else {
            throw fail("subject OU is \(cert.subjectOrganizationalUnits), must be 'Authenticator Attestation'")
        }
        guard let cn = cert.subjectCommonName, !cn.isEmpty else { throw fail("subject CN is missing") }
        if cert.basicConstraintsCA == true { throw fail("basic constraints say CA: true, must be false") }
        if let value = cert.extensionValue(oid: aaguidExtensionOID) {
            if cert.isExtensionCritical(oid: aaguidExtensionOID) {
                throw fail("the AAGUID extension (\(aaguidExtensionOID)) is marked critical")
            }
            // extnValue holds an OCTET STRING of the 16 AAGUID bytes.
            guard value.count == 18, value[0] == 0x04, value[1] == 0x10 else {
                throw fail("the AAGUID extension is not an OCTET STRING of 16 bytes")
            }
            guard value[2...].elementsEqual(aaguid) else {
                throw WebAuthnError(
                    .aaguidMismatch,
                    "certificate AAGUID \(UUIDText.format(Array(value[2...]))) is not the authenticator data's \(UUIDText.format(Array(aaguid)))")
            }
        }
    }
}
