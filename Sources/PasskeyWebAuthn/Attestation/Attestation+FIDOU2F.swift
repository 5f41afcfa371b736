import PasskeyJSON
import PasskeyCOSE
import PasskeyCrypto

extension WebAuthnVerifier {
    /// The `fido-u2f` format (WebAuthn §8.6).
    func verifyFIDOU2F(_ statement: AttestationStatementReader, _ inputs: StatementInputs) throws(WebAuthnError) -> StatementResult {
        let authData = inputs.authData, credentialKey = inputs.credentialKey, clientDataHash = inputs.clientDataHash
        guard let certificates = try statement.certificates(), certificates.count == 1 else {
            throw WebAuthnError(.invalidAttestationStatement, "fido-u2f x5c must hold exactly one certificate")
        }
        let sig = try statement.signature()
        let key: PublicKey
        do throws(CryptoError) {
            key = try certificates[0].publicKey
        } catch {
            throw WebAuthnError(.invalidAttestationCertificate, "fido-u2f attestation certificate key: \(error.message)")
        }
        guard case .ec(.p256) = key.kind else {
            throw WebAuthnError(
                .invalidAttestationCertificate, "fido-u2f attestation certificate key is \(key.kind), must be EC P-256")
        }
        guard credentialKey.keyType == .ec2, credentialKey.curve == .p256, credentialKey.first.count == 32,
            credentialKey.second.count == 32
        else {
            throw WebAuthnError(.invalidAttestationStatement, "fido-u2f requires a P-256 credential key")
        }
        let attested = authData.attested!
        // A U2F device has no AAGUID: the client that wraps its response writes 16 zero bytes (CTAP2 §11.2.5).
        guard attested.aaguid.allSatisfy({ $0 == 0 }) else {
            throw WebAuthnError(
                .aaguidMismatch, "fido-u2f authenticator data carries AAGUID \(UUIDText.format(Array(attested.aaguid))), must be all zero")
        }
        // verificationData = 0x00 || rpIdHash || clientDataHash || credentialId || 0x04 || x || y
        var data: [UInt8] = [0x00]
        data.reserveCapacity(1 + 32 + 32 + attested.credentialID.count + 65)
        data.append(contentsOf: authData.rpIdHash)
        data.append(contentsOf: clientDataHash)
        data.append(contentsOf: attested.credentialID)
        data.append(0x04)
        data.append(contentsOf: credentialKey.first)
        data.append(contentsOf: credentialKey.second)
        try data.withBytes { (message) throws(WebAuthnError) in
            try verifySignature(
                sig, authenticatorData: message, clientDataHash: UnsafeRawBufferPointer(start: nil, count: 0), key: key,
                algorithm: .es256, what: "fido-u2f attestation")
        }
        return StatementResult(type: .basic, certificates: certificates)
    }
}
