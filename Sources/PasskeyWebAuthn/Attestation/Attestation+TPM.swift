extension WebAuthnVerifier {
    /// The `tpm` format (WebAuthn L3 §8.3).
    func verifyTPM(_ statement: AttestationStatementReader, _ inputs: StatementInputs) throws(WebAuthnError) -> StatementResult {
        throw WebAuthnError(.unsupportedAttestationFormat, "attestation format 'tpm' is not supported yet")
    }
}
