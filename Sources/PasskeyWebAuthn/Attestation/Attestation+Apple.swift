import PasskeyAttestationData
import PasskeyCrypto

extension WebAuthnVerifier {
    /// The `apple` format (WebAuthn L3 §8.8): anonymization CA, one certificate per credential.
    func verifyApple(_ statement: AttestationStatementReader, _ inputs: StatementInputs) throws(WebAuthnError) -> StatementResult {
        let certificates = try statement.requiredCertificates()
        let credCert = certificates[0]
        // nonce = SHA-256(authenticatorData || clientDataHash) must be the value of the 1.2.840.113635.100.8.2 extension.
        var nonce = [UInt8](repeating: 0, count: 32)
        inputs.clientDataHash.withUnsafeBytes { hash in
            nonce.withUnsafeMutableBytes { signatures.digest(.sha256, inputs.authData.bytes, hash, into: $0) }
        }
        guard let value = credCert.extensionValue(oid: AppleAnonymousAttestation.nonceOID) else {
            throw WebAuthnError(
                .appleNonceMismatch, "the apple credCert has no nonce extension (\(AppleAnonymousAttestation.nonceOID))")
        }
        let certified: [UInt8]
        do throws(AppleNonceError) {
            certified = try AppleAnonymousAttestation.nonce(fromExtensionValue: value)
        } catch {
            throw WebAuthnError(.appleNonceMismatch, "apple nonce extension: \(error.message)")
        }
        guard certified == nonce else {
            throw WebAuthnError(
                .appleNonceMismatch,
                "the apple credCert nonce is not SHA-256(authenticatorData || clientDataHash)")
        }
        // The credential public key is credCert's subject public key.
        guard certificateKey(credCert, matches: inputs.credentialEntry.key) else {
            throw WebAuthnError(.attestationKeyMismatch, "the apple credCert's key is not the credential public key")
        }
        return StatementResult(type: .anonCA, certificates: certificates)
    }
}
