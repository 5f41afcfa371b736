import PasskeyCBOR
import PasskeyCOSE
import PasskeyCrypto

/// A format-specific fact about a verified attestation (android-key security level, TPM manufacturer, ...).
public struct AttestationDetail: Sendable, Hashable {
    public let name: String
    public let value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What an attestation statement proved.
struct StatementResult {
    var type: AttestationType
    /// The trust path: the statement's certificates, leaf first (empty for self and none attestation).
    var certificates: [Certificate]
    var details: [AttestationDetail] = []
    /// Compound: each contained statement's own result, in order.
    var contained: [ContainedStatement] = []
}

/// One statement of a compound attestation and what it proved.
struct ContainedStatement {
    let format: String
    let result: StatementResult
}

/// What every format's verification procedure receives (WebAuthn §8: attStmt, authenticatorData, clientDataHash).
struct StatementInputs {
    let authData: AuthenticatorData
    /// The attested credential key as parsed from authData, and the built key with its algorithm.
    let credentialKey: COSEKey
    let credentialEntry: KeyCache.Entry
    let clientDataHash: [UInt8]
    let policy: Policy
}

/// The FIDO AAGUID certificate extension (id-fido-gen-ce-aaguid).
let aaguidExtensionOID = "1.3.6.1.4.1.45724.1.1.4"
/// Upper bound on x5c length; real chains have 1–3 certificates.
let maximumCertificateChainLength = 8

/// The attestation statement formats passkeyd verifies (WebAuthn L3 §8), as they are spelled in `fmt`.
public enum AttestationFormats {
    public static let supported = [
        "none", "packed", "fido-u2f", "tpm", "android-key", "android-safetynet", "apple", "compound",
    ]
}

extension WebAuthnVerifier {
    /// Step 21–22: dispatch on `fmt` (case-sensitive) and run the format's verification procedure.
    func verifyAttestationStatement(
        format: String, reader: CBORReader, statement item: CBORItem, _ inputs: StatementInputs, nested: Bool = false
    ) throws(WebAuthnError) -> StatementResult {
        if format != "compound", item.type != .map {
            throw WebAuthnError(.malformedAttestationObject, "attestation statement of '\(clipped(format))' is not a CBOR map")
        }
        let statement = AttestationStatementReader(reader: reader, map: item, format: format)
        switch format {
        case "none":
            guard item.argument == 0 else {
                throw WebAuthnError(.invalidAttestationStatement, "'none' attestation statement is not an empty map")
            }
            return StatementResult(type: .none, certificates: [])
        case "packed":
            return try verifyPacked(statement, inputs)
        case "fido-u2f":
            return try verifyFIDOU2F(statement, inputs)
        case "tpm":
            return try verifyTPM(statement, inputs)
        case "android-key":
            return try verifyAndroidKey(statement, inputs)
        case "android-safetynet":
            return try verifySafetyNet(statement, inputs)
        case "apple":
            return try verifyApple(statement, inputs)
        case "compound":
            guard !nested else {
                throw WebAuthnError(.invalidAttestationStatement, "a compound attestation statement may not contain another")
            }
            return try verifyCompound(reader: reader, statements: item, inputs)
        default:
            throw WebAuthnError(
                .unsupportedAttestationFormat, "attestation format '\(clipped(format))' is not supported")
        }
    }

    /// Checks that a certificate's key can carry `alg` (curve pinned for ECDSA and EdDSA, kind for RSA).
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

    /// The statement's `alg`. RS1 (SHA-1) needs a switch: `attestation.allowRS1AttestationSignatures`, which reaches
    /// attestation signatures only (Windows TPMs sign certInfo with RS1), or RS1 in `allowedAlgorithms`, which also
    /// admits RS1 credential keys. Other algorithms of an attestation key are the maker's choice, not the relying
    /// party's.
    func attestationAlgorithm(_ statement: AttestationStatementReader, _ policy: Policy) throws(WebAuthnError) -> COSEAlgorithm {
        let alg = try statement.algorithm()
        try checkAttestationAlgorithm(alg, format: statement.format, policy)
        return alg
    }

    func checkAttestationAlgorithm(_ alg: COSEAlgorithm, format: String, _ policy: Policy) throws(WebAuthnError) {
        if alg == .rs1, !policy.allowedAlgorithms.contains(.rs1), !policy.attestation.allowRS1AttestationSignatures {
            throw WebAuthnError(
                .algorithmNotAllowed,
                "'\(format)' attestation is signed with \(alg) (SHA-1), which the policy does not allow (attestation_allow_rs1)")
        }
    }

    /// Whether the certificate's public key is exactly the credential key (android-key, apple): the same
    /// SubjectPublicKeyInfo once both are in OpenSSL's canonical encoding (named curve, uncompressed point; n and e).
    func certificateKey(_ cert: Certificate, matches credential: PublicKey) -> Bool {
        guard let key = try? cert.publicKey else { return false }
        let a = key.subjectPublicKeyInfoDER()
        return !a.isEmpty && a == credential.subjectPublicKeyInfoDER()
    }
}

/// Typed access to the members of an attestation statement map.
struct AttestationStatementReader {
    let reader: CBORReader
    let map: CBORItem
    let format: String

    func has(_ key: String) -> Bool { ((try? reader.value(in: map, textKey: key)) ?? nil) != nil }

    /// The raw item of a member, nil when absent.
    func member(_ key: String) -> CBORItem? { (try? reader.value(in: map, textKey: key)) ?? nil }

    /// A byte-string member, or an `invalidAttestationStatement` naming it.
    func bytes(_ key: String) throws(WebAuthnError) -> UnsafeRawBufferPointer {
        guard let item = member(key), item.type == .bytes, let b = try? reader.bytes(item) else {
            throw WebAuthnError(.invalidAttestationStatement, "'\(format)' attestation statement has no byte string '\(key)'")
        }
        return b
    }

    /// A text member, or an `invalidAttestationStatement` naming it.
    func text(_ key: String) throws(WebAuthnError) -> String {
        guard let item = member(key), item.type == .text, let s = try? reader.string(item) else {
            throw WebAuthnError(.invalidAttestationStatement, "'\(format)' attestation statement has no text '\(key)'")
        }
        return s
    }

    func algorithm() throws(WebAuthnError) -> COSEAlgorithm {
        guard let item = member("alg"), item.type == .unsigned || item.type == .negative, let value = try? reader.int(item)
        else {
            throw WebAuthnError(.invalidAttestationStatement, "'\(format)' attestation statement has no integer 'alg'")
        }
        guard let alg = COSEAlgorithm(rawValue: value) else {
            throw WebAuthnError(.unsupportedAlgorithm, "'\(format)' attestation algorithm \(value) is not supported")
        }
        return alg
    }

    func signature() throws(WebAuthnError) -> UnsafeRawBufferPointer { try bytes("sig") }

    /// The x5c chain, parsed; nil when absent.
    func certificates() throws(WebAuthnError) -> [Certificate]? {
        guard let item = member("x5c") else { return nil }
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
                certs.append(try Certificate.parsed(der: der))
            } catch {
                throw WebAuthnError(
                    .invalidAttestationCertificate, "'\(format)' attestation x5c[\(i)] is not a DER certificate: \(error.message)")
            }
        }
        return certs
    }

    /// The x5c chain, which this format requires.
    func requiredCertificates() throws(WebAuthnError) -> [Certificate] {
        guard let certs = try certificates() else {
            throw WebAuthnError(.invalidAttestationStatement, "'\(format)' attestation statement has no x5c")
        }
        return certs
    }
}
