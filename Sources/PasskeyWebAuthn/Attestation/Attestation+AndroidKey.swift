extension WebAuthnVerifier {
    /// The `android-key` format (WebAuthn L3 §8.4).
    func verifyAndroidKey(_ statement: AttestationStatementReader, _ inputs: StatementInputs) throws(WebAuthnError) -> StatementResult {
        throw WebAuthnError(.unsupportedAttestationFormat, "attestation format 'android-key' is not supported yet")
    }
}
