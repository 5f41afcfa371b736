import PasskeyCBOR
import PasskeyCOSE
import PasskeyCrypto

/// What an attestation statement proved.
struct StatementResult {
    let type: AttestationType
    let certificates: [Certificate]
}

/// The FIDO AAGUID certificate extension (id-fido-gen-ce-aaguid).
let aaguidExtensionOID = "1.3.6.1.4.1.45724.1.1.4"
/// Upper bound on x5c length; real chains have 1–3 certificates.
let maximumCertificateChainLength = 8

extension WebAuthnVerifier {
    /// Step 21–22: dispatch on `fmt` (case-sensitive) and run the format's verification procedure.
    func verifyAttestationStatement(
        _ object: AttestationObject, authData: AuthenticatorData, credentialKey: COSEKey, credentialEntry: KeyCache.Entry,
        clientDataHash: [UInt8], policy: Policy
    ) throws(WebAuthnError) -> StatementResult {
        let statement = AttestationStatementReader(reader: object.reader, map: object.statement, format: object.format)
        switch object.format {
        case "none":
            guard object.statement.argument == 0 else {
                throw WebAuthnError(.invalidAttestationStatement, "'none' attestation statement is not an empty map")
            }
            return StatementResult(type: .none, certificates: [])
        case "packed":
            return try verifyPacked(
                statement, authData: authData, credentialEntry: credentialEntry, clientDataHash: clientDataHash, policy: policy)
        case "fido-u2f":
            return try verifyFIDOU2F(
                statement, authData: authData, credentialKey: credentialKey, clientDataHash: clientDataHash)
        default:
            throw WebAuthnError(
                .unsupportedAttestationFormat, "attestation format '\(clipped(object.format))' is not supported")
        }
    }

    /// Checks that a certificate's key can carry `alg` (curve pinned for ECDSA, kind for EdDSA/RSA).
    func checkKey(_ key: PublicKey, fits alg: COSEAlgorithm, what: String) throws(WebAuthnError) {
        let fits: Bool
        switch (key.kind, alg.keyType) {
        case let (.ec(curve), .ec2):
            switch alg.requiredCurve {
            case .p256?: fits = curve == .p256
            case .p384?: fits = curve == .p384
            case .p521?: fits = curve == .p521
            case .secp256k1?: fits = curve == .secp256k1
            default: fits = false
            }
        case let (.edwards(curve), .okp):
            switch alg.requiredCurve {
            case .ed25519?: fits = curve == .ed25519
            case .ed448?: fits = curve == .ed448
            default: fits = false
            }
        case (.rsa, .rsa): fits = true
        default: fits = false
        }
        guard fits else { throw WebAuthnError(.algorithmMismatch, "\(what) key \(key.kind) cannot sign with \(alg)") }
    }
}

/// Typed access to the members of an attestation statement map.
struct AttestationStatementReader {
    let reader: CBORReader
    let map: CBORItem
    let format: String

    func has(_ key: String) -> Bool { ((try? reader.value(in: map, textKey: key)) ?? nil) != nil }

    func algorithm() throws(WebAuthnError) -> COSEAlgorithm {
        guard let item = try? reader.value(in: map, textKey: "alg"), item.type == .unsigned || item.type == .negative,
            let value = try? reader.int(item)
        else {
            throw WebAuthnError(.invalidAttestationStatement, "'\(format)' attestation statement has no integer 'alg'")
        }
        guard let alg = COSEAlgorithm(rawValue: value) else {
            throw WebAuthnError(.unsupportedAlgorithm, "'\(format)' attestation algorithm \(value) is not supported")
        }
        return alg
    }

    func signature() throws(WebAuthnError) -> UnsafeRawBufferPointer {
        guard let item = try? reader.value(in: map, textKey: "sig"), item.type == .bytes, let sig = try? reader.bytes(item)
        else {
            throw WebAuthnError(.invalidAttestationStatement, "'\(format)' attestation statement has no byte string 'sig'")
        }
        return sig
    }

    /// The x5c chain, parsed; nil when absent.
    func certificates() throws(WebAuthnError) -> [Certificate]? {
        guard let item = try? reader.value(in: map, textKey: "x5c") else { return nil }
        guard item.type == .array, item.argument >= 1 else {
            throw WebAuthnError(
                .invalidAttestationStatement, "'\(format)' attestation x5c is not a non-empty array of certificates")
        }
        guard item.argument <= UInt64(maximumCertificateChainLength) else {
            throw WebAuthnError(
                .invalidAttestationStatement, "'\(format)' attestation x5c has \(item.argument) certificates; at most \(maximumCertificateChainLength) are accepted")
        }
        var certs: [Certificate] = []
        guard let elements = try? reader.elements(of: item) else {
            throw WebAuthnError(.invalidAttestationStatement, "'\(format)' attestation x5c cannot be read")
        }
        for (i, element) in elements.enumerated() {
            guard element.type == .bytes, let der = try? reader.bytes(element) else {
                throw WebAuthnError(.invalidAttestationStatement, "'\(format)' attestation x5c[\(i)] is not a byte string")
            }
            do throws(CryptoError) {
                certs.append(try Certificate(der: der))
            } catch {
                throw WebAuthnError(
                    .invalidAttestationCertificate, "'\(format)' attestation x5c[\(i)] is not a DER certificate: \(error.message)")
            }
        }
        return certs
    }
}
