extension WebAuthnVerifier {
    /// The `apple` format (WebAuthn L3 §8.8).
    func verifyApple(_ statement: AttestationStatementReader, _ inputs: StatementInputs) throws(WebAuthnError) -> StatementResult {
        throw WebAuthnError(.unsupportedAttestationFormat, "attestation format 'apple' is not supported yet")
    }
}
