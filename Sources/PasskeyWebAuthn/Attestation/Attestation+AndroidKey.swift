import PasskeyAttestationData
import PasskeyCOSE
import PasskeyCrypto

extension WebAuthnVerifier {
    /// The `android-key` format (WebAuthn L3 §8.4), every step of its verification procedure in the spec's order.
    func verifyAndroidKey(_ statement: AttestationStatementReader, _ inputs: StatementInputs) throws(WebAuthnError) -> StatementResult {
        let alg = try attestationAlgorithm(statement, inputs.policy)
        let sig = try statement.signature()
        let certificates = try statement.requiredCertificates()
        let leaf = certificates[0]
        let key: PublicKey
        do throws(CryptoError) {
            key = try leaf.publicKey
        } catch {
            throw WebAuthnError(.invalidAttestationCertificate, "android-key attestation certificate key: \(error.message)")
        }
        try checkKey(key, fits: alg, what: "android-key attestation certificate")
        // sig is over authenticatorData || clientDataHash, by the key of the first certificate, with alg.
        try inputs.clientDataHash.withBytes { (hash) throws(WebAuthnError) in
            try verifySignature(
                sig, authenticatorData: inputs.authData.bytes, clientDataHash: hash, key: key, algorithm: alg,
                what: "android-key attestation")
        }
        // That key is the credential key.
        guard certificateKey(leaf, matches: inputs.credentialEntry.key) else {
            throw WebAuthnError(
                .attestationKeyMismatch, "the android-key attestation certificate's key is not the credential public key")
        }
        // The key description extension (§8.4.1).
        guard let value = leaf.extensionValue(oid: AndroidKeyDescription.oid) else {
            throw WebAuthnError(
                .androidKeyDescriptionInvalid,
                "the android-key attestation certificate has no key description extension (\(AndroidKeyDescription.oid))")
        }
        let description: AndroidKeyDescription
        do throws(AndroidKeyDescriptionError) {
            description = try AndroidKeyDescription(derEncoded: value)
        } catch {
            throw WebAuthnError(.androidKeyDescriptionInvalid, "android-key key description: \(error.message)")
        }
        guard description.attestationChallenge == inputs.clientDataHash else {
            throw WebAuthnError(
                .androidKeyChallengeMismatch,
                "the key description's attestationChallenge (\(description.attestationChallenge.count) bytes) is not the client data hash")
        }
        let software = description.softwareEnforced, hardware = description.hardwareEnforced
        // allApplications in neither list: the credential must be scoped to the RP ID.
        if software.allApplications || hardware.allApplications {
            throw WebAuthnError(
                .androidKeyAllApplications,
                "the key description's \(hardware.allApplications ? "hardwareEnforced" : "softwareEnforced") list has allApplications")
        }
        // origin GENERATED and purpose SIGN: hardwareEnforced only, or (when the policy accepts software-enforced keys)
        // the union of both lists.
        let allowSoftware = inputs.policy.attestation.androidKeyAllowSoftware
        func require(_ what: String, hardware inHardware: Bool, software inSoftware: Bool, failing code: WebAuthnError.Code)
            throws(WebAuthnError)
        {
            if inHardware || (inSoftware && allowSoftware) { return }
            if inSoftware {
                throw WebAuthnError(
                    .androidKeyNotHardware,
                    "the key's \(what) is enforced only in software (softwareEnforced) and the policy requires the TEE or StrongBox")
            }
            throw WebAuthnError(code, "no authorization list the policy trusts says the key's \(what)")
        }
        let generated = AndroidKeyDescription.AuthorizationList.originGenerated
        let sign = AndroidKeyDescription.AuthorizationList.purposeSign
        try require(
            "origin is GENERATED (\(generated)); hardwareEnforced origin: \(hardware.origin.map(String.init) ?? "absent")",
            hardware: hardware.origin == generated, software: software.origin == generated, failing: .androidKeyNotGenerated)
        // §8.4: "The value in the AuthorizationList.purpose field is equal to KM_PURPOSE_SIGN": SIGN and nothing else
        // (a key that may also decrypt or agree keys is not a signing-only credential key).
        func signOnly(_ p: [Int]?) -> Bool { p.map { !$0.isEmpty && $0.allSatisfy { $0 == sign } } ?? false }
        try require(
            "purpose is SIGN (\(sign)) alone; hardwareEnforced purpose: \(hardware.purposes.map { "\($0)" } ?? "absent")",
            hardware: signOnly(hardware.purposes), software: signOnly(software.purposes),
            failing: .androidKeyPurposeNotSign)
        return StatementResult(
            type: .basic, certificates: certificates,
            details: [
                AttestationDetail("android_security_level", description.attestationSecurityLevel.name),
                AttestationDetail("android_attestation_version", String(description.attestationVersion)),
            ])
    }
}
