import PasskeyCBOR

extension WebAuthnVerifier {
    /// The `compound` format (WebAuthn L3 §8.9): an array of at least two `{fmt, attStmt}` maps, each verified by its
    /// own format's procedure over the same authenticator data and client data hash; all must pass. A compound
    /// statement may not contain another.
    func verifyCompound(reader: CBORReader, statements: CBORItem, _ inputs: StatementInputs) throws(WebAuthnError)
        -> StatementResult
    {
        guard statements.type == .array, statements.argument >= 2 else {
            throw WebAuthnError(
                .invalidAttestationStatement, "'compound' attestation statement is not an array of at least two statements")
        }
        guard statements.argument <= UInt64(Self.maximumCompoundStatements) else {
            throw WebAuthnError(
                .invalidAttestationStatement,
                "'compound' attestation holds \(statements.argument) statements; at most \(Self.maximumCompoundStatements) are accepted")
        }
        var contained: [ContainedStatement] = []
        guard let elements = try? reader.elements(of: statements) else {
            throw WebAuthnError(.invalidAttestationStatement, "'compound' attestation statement cannot be read")
        }
        for (i, element) in elements.enumerated() {
            guard element.type == .map,
                let fmtItem = try? reader.value(in: element, textKey: "fmt"), fmtItem.type == .text,
                let format = try? reader.string(fmtItem),
                let inner = try? reader.value(in: element, textKey: "attStmt"), element.argument == 2
            else {
                throw WebAuthnError(
                    .invalidAttestationStatement, "'compound' statement \(i) is not a map of exactly 'fmt' and 'attStmt'")
            }
            let result = try verifyAttestationStatement(format: format, reader: reader, statement: inner, inputs, nested: true)
            contained.append(ContainedStatement(format: format, result: result))
        }
        // The type of the whole is the strongest of its parts; the trust path is evaluated per part.
        let strongest = contained.map(\.result.type).max { $0.strength < $1.strength } ?? .none
        return StatementResult(type: strongest, certificates: [], contained: contained)
    }

    static let maximumCompoundStatements = 8
}
