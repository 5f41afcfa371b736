import PasskeyJSON
import PasskeyAttestationData
import PasskeyCOSE
import PasskeyCrypto

extension WebAuthnVerifier {
    /// The hostname the SafetyNet attestation certificate is issued to (SafetyNet documentation, "Verify the
    /// compatibility check response": the leaf must be issued to attest.android.com).
    static let safetyNetHostname = "attest.android.com"

    /// The `android-safetynet` format (WebAuthn L3 §8.5). SafetyNet itself has been turned down by Google
    /// (announced for January 2025); registrations captured earlier can still be verified with the verification time
    /// pinned.
    func verifySafetyNet(_ statement: AttestationStatementReader, _ inputs: StatementInputs) throws(WebAuthnError) -> StatementResult {
        let ver = try statement.text("ver")
        guard !ver.isEmpty else {
            throw WebAuthnError(.invalidAttestationStatement, "'android-safetynet' attestation statement has an empty 'ver'")
        }
        let response = try statement.bytes("response")
        func invalid(_ why: String) -> WebAuthnError { WebAuthnError(.safetyNetJWSInvalid, "SafetyNet response: \(why)") }

        // The response is a compact JWS whose header carries the signing chain.
        let jws: CompactJWS
        do throws(CompactJWSError) {
            jws = try CompactJWS(Array(response))
        } catch {
            throw invalid(error.message)
        }
        var certificates: [Certificate] = []
        for (i, der) in jws.certificates.enumerated() {
            do throws(CryptoError) {
                certificates.append(try Certificate.parsed(der: der))
            } catch {
                throw invalid("x5c[\(i)] is not a DER certificate: \(error.message)")
            }
        }
        let leaf = certificates[0]
        guard let (alg, coordinateBytes) = Self.jwsAlgorithms[jws.algorithm] else {
            throw invalid("JWS alg '\(clipped(jws.algorithm, 32))' is not supported")
        }
        let key: PublicKey
        do throws(CryptoError) {
            key = try leaf.publicKey
        } catch {
            throw invalid("the signing certificate's key: \(error.message)")
        }
        do throws(WebAuthnError) {
            try checkKey(key, fits: alg, what: "SafetyNet signing certificate")
        } catch {
            throw invalid(error.message)
        }
        var signature = jws.signature
        if coordinateBytes > 0 {
            guard let der = ECDSASignature.der(raw: jws.signature, coordinateBytes: coordinateBytes) else {
                throw invalid("the \(jws.algorithm) signature is \(jws.signature.count) bytes, not \(2 * coordinateBytes)")
            }
            signature = der
        }
        do throws(WebAuthnError) {
            try signature.withBytes { (sig) throws(WebAuthnError) in
                try jws.signingInput.withBytes { (input) throws(WebAuthnError) in
                    try verifySignature(
                        sig, authenticatorData: input, clientDataHash: UnsafeRawBufferPointer(start: nil, count: 0),
                        key: key, algorithm: alg, what: "SafetyNet JWS")
                }
            }
        } catch {
            throw invalid(error.message)
        }

        // The signing certificate is issued to attest.android.com.
        try checkSafetyNetHostname(leaf)

        let payload: SafetyNetPayload
        do throws(CompactJWSError) {
            payload = try SafetyNetPayload(json: jws.payload)
        } catch {
            throw invalid(error.message)
        }
        // nonce = base64(SHA-256(authenticatorData || clientDataHash)).
        var expected = [UInt8](repeating: 0, count: 32)
        inputs.clientDataHash.withUnsafeBytes { hash in
            expected.withUnsafeMutableBytes { signatures.digest(.sha256, inputs.authData.bytes, hash, into: $0) }
        }
        guard let nonce = payload.nonce else {
            throw WebAuthnError(.safetyNetNonceMismatch, "the SafetyNet payload has no string 'nonce'")
        }
        guard let decoded = Base64.decode(nonce), decoded == expected else {
            throw WebAuthnError(
                .safetyNetNonceMismatch,
                "the SafetyNet nonce '\(clipped(nonce, 64))' is not base64(SHA-256(authenticatorData || clientDataHash))")
        }
        guard payload.ctsProfileMatch == true else {
            throw WebAuthnError(
                .safetyNetCtsProfileMismatch,
                "the SafetyNet payload's ctsProfileMatch is \(payload.ctsProfileMatch.map { "\($0)" } ?? "absent"), must be true")
        }
        // timestampMs within the allowed skew of the verification time.
        guard let timestamp = payload.timestampMs else {
            throw WebAuthnError(.safetyNetTimestampInvalid, "the SafetyNet payload has no integer 'timestampMs'")
        }
        let seconds = inputs.policy.verificationTime ?? WallClock.now()
        let (now, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        let (difference, overflow2) = now.subtractingReportingOverflow(timestamp)
        let skew = inputs.policy.attestation.safetyNetMaxSkewMilliseconds
        guard !overflow, !overflow2, difference.magnitude <= skew.magnitude else {
            throw WebAuthnError(
                .safetyNetTimestampInvalid,
                "the SafetyNet timestampMs \(timestamp) is more than \(skew) ms from the verification time \(now) ms")
        }
        return StatementResult(
            type: .basic, certificates: certificates,
            details: [
                AttestationDetail("safetynet_timestamp_ms", String(timestamp)),
                AttestationDetail("safetynet_basic_integrity", payload.basicIntegrity.map { "\($0)" } ?? "absent"),
            ])
    }

    /// The leaf is issued to attest.android.com: a subjectAltName dNSName or the subject CN, compared exactly.
    func checkSafetyNetHostname(_ leaf: Certificate) throws(WebAuthnError) {
        var names: [String] = []
        if let san = leaf.extensionValue(oid: "2.5.29.17") {
            do throws(CompactJWSError) {
                names = try CompactJWS.dnsNames(subjectAltName: san)
            } catch {
                throw WebAuthnError(.safetyNetHostnameMismatch, "the SafetyNet signing certificate's subjectAltName: \(error.message)")
            }
        }
        if names.contains(Self.safetyNetHostname) || leaf.subjectCommonName == Self.safetyNetHostname { return }
        throw WebAuthnError(
            .safetyNetHostnameMismatch,
            "the SafetyNet signing certificate is issued to '\(clipped(leaf.subjectCommonName ?? "", 64))'"
                + (names.isEmpty ? "" : " (\(names.prefix(4).map { clipped($0, 64) }.joined(separator: ", ")))")
                + ", not \(Self.safetyNetHostname)")
    }

    /// JWS `alg` (RFC 7518 §3.1) → COSE algorithm, and for ECDSA the byte length of r and s.
    static let jwsAlgorithms: [String: (COSEAlgorithm, Int)] = [
        "RS256": (.rs256, 0), "RS384": (.rs384, 0), "RS512": (.rs512, 0),
        "PS256": (.ps256, 0), "PS384": (.ps384, 0), "PS512": (.ps512, 0),
        "ES256": (.es256, 32), "ES384": (.es384, 48), "ES512": (.es512, 66),
    ]
}
