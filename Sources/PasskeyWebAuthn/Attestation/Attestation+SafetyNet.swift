extension WebAuthnVerifier {
    /// The `android-safetynet` format (WebAuthn L3 §8.5).
    func verifySafetyNet(_ statement: AttestationStatementReader, _ inputs: StatementInputs) throws(WebAuthnError) -> StatementResult {
        throw WebAuthnError(.unsupportedAttestationFormat, "attestation format 'android-safetynet' is not supported yet")
    }
}
