import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// The AIK CA and AIK keys, made once per test process (RSA key generation is slow).
enum TPMFixture {
    static let issuer: TestCA = try! SharedCA.ca.intermediate(name: "passkeyd Test TPM AIK CA")
    static let rsaAIK: PrivateKey = try! .generateRSA(bits: 2048)
    static let ecAIK: PrivateKey = try! .generateEC(.p256)
    static let otherRSA: PrivateKey = try! .generateRSA(bits: 2048)
    static let otherEC: PrivateKey = try! .generateEC(.p256)
}

@Suite struct AttestationTPMTests {
    let challenge = SoftRandom.bytes(32)

    enum AIK: CaseIterable, CustomStringConvertible {
        case rs256, es256, ps256
        var key: PrivateKey { self == .es256 ? TPMFixture.ecAIK : TPMFixture.rsaAIK }
        var algorithm: COSEAlgorithm {
            switch self {
            case .rs256: .rs256
            case .es256: .es256
            case .ps256: .ps256
            }
        }
        var description: String { "\(algorithm)" }
    }

    func register(
        _ credential: COSEAlgorithm = .rs256, aik: AIK = .rs256, algorithm: COSEAlgorithm? = nil, rp: RelyingParty? = nil,
        _ configure: (inout TPMAttestationOptions) -> Void = { _ in }
    ) throws -> VerifiedRegistration {
        var options = TPMAttestationOptions()
        configure(&options)
        let auth = try KeyBank.authenticator(credential)
        let attestation = SoftAttestation.tpm(
            issuer: TPMFixture.issuer, aik: aik.key, algorithm: algorithm ?? aik.algorithm, options: options)
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: attestation)
        return try WebAuthnVerifier().verifyRegistration(
            responseJSON: reg.json, challenge: challenge, relyingParty: try rp ?? makeRP())
    }

    /// Expects `code`, and a message naming the check (several checks share a code).
    func fails(
        _ code: WebAuthnError.Code, _ naming: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) {
        let e = expectCode(code, sourceLocation: sourceLocation, body)
        #expect(e?.message.contains(naming) == true, "\(e?.message ?? "") does not name '\(naming)'", sourceLocation: sourceLocation)
    }

    func detail(_ r: VerifiedRegistration, _ name: String) -> String? {
        r.attestationDetails.first { $0.name == name }?.value
    }

    // MARK: Valid ceremonies

    @Test(arguments: [COSEAlgorithm.rs256, .ps256, .es256, .es384], AIK.allCases)
    func verifiesForEveryKeyKind(_ credential: COSEAlgorithm, _ aik: AIK) throws {
        let r = try register(credential, aik: aik)
        #expect(r.format == "tpm")
        #expect(r.attestationType == .attCA)
        #expect(r.attestationCertificates.count == 2)
        #expect(r.attestationCertificates.last == TPMFixture.issuer.root.derBytes)
        #expect(detail(r, "tpm_manufacturer") == "id:4E544300 Nuvoton Technology")
        #expect(detail(r, "tpm_model") == "NPCT75x")
        #expect(detail(r, "tpm_version") == "id:0007000B")
        #expect(r.attestationTrusted == false)
    }

    @Test func bothSubjectAltNameEncodings() throws {
        let perRDN = try register { $0.subjectAltName = .attributePerRDN }
        let multi = try register {
            $0.subjectAltName = .multiValuedRDN
            $0.manufacturer = "id:494E5443"
            $0.model = "ICL"
            $0.firmwareVersion = "id:13"
        }
        #expect(detail(perRDN, "tpm_manufacturer") == "id:4E544300 Nuvoton Technology")
        #expect(detail(multi, "tpm_manufacturer") == "id:494E5443 Intel")
        #expect(detail(multi, "tpm_model") == "ICL" && detail(multi, "tpm_version") == "id:13")
    }

    @Test func trustedThroughTheTestRoot() throws {
        let anchored = try makeRP { $0.trustAnchors = TrustAnchors(certificates: [SharedCA.ca.root]) }
        let r = try register(rp: anchored)
        #expect(r.attestationTrusted)
        let wrong = try makeRP { $0.trustAnchors = TrustAnchors(certificates: [SharedCA.otherCA.root]) }
        expectCode(.untrustedAttestation) { _ = try register(rp: wrong) }
    }

    /// Windows' TPM AIKs sign with RS1: accepted only where the policy allows RS1.
    @Test func rs1AIKFollowsThePolicySwitch() throws {
        expectCode(.algorithmNotAllowed) { _ = try register(aik: .rs256, algorithm: .rs1) }
        let rs1 = try makeRP { $0.allowedAlgorithms.insert(.rs1) }
        let r = try register(aik: .rs256, algorithm: .rs1, rp: rs1)
        #expect(r.attestationType == .attCA)
        // extraData is then SHA-1(attToBeSigned): a SHA-256 one does not match.
        expectCode(.tpmExtraDataMismatch) {
            _ = try register(aik: .rs256, algorithm: .rs1, rp: rs1) { $0.extraData = [UInt8](repeating: 0, count: 32) }
        }
        // The attestation-scoped switch admits the RS1 statement and nothing else: an RS1 credential key is still refused.
        let attestationOnly = try makeRP { $0.attestation.allowRS1AttestationSignatures = true }
        #expect(try register(aik: .rs256, algorithm: .rs1, rp: attestationOnly).attestationType == .attCA)
        let key = try KeyBank.authenticator(.rs256).privateKey
        let rs1Credential = SoftAuthenticator(algorithm: .rs1, privateKey: key, credentialID: SoftRandom.bytes(16), aaguid: SoftRandom.bytes(16))
        let reg = try rs1Credential.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .packedSelf)
        expectCode(.algorithmNotAllowed) {
            _ = try WebAuthnVerifier().verifyRegistration(
                clientDataJSON: reg.clientDataJSON, attestationObject: reg.attestationObject, challenge: challenge,
                relyingParty: attestationOnly)
        }
        let a = try rs1Credential.assert(rpId: rpId, origin: origin, challenge: challenge)
        expectCode(.algorithmNotAllowed) {
            _ = try WebAuthnVerifier().verifyAuthentication(
                authenticatorData: a.authenticatorData, clientDataJSON: a.clientDataJSON, signature: a.signature,
                challenge: challenge, credential: StoredCredential(publicKey: rs1Credential.cosePublicKey), relyingParty: attestationOnly)
        }
    }

    @Test func acceptedVariations() throws {
        // Every nameAlg passkeyd hashes; an explicit 65537 instead of the TPM's 0; no basicConstraints (not a CA);
        // no AAGUID extension; a lowercase vendor ID.
        for nameAlg: UInt16 in [0x0004, 0x000B, 0x000C, 0x000D] {
            _ = try register { $0.nameAlg = nameAlg }
            _ = try register(.es256, aik: .es256) { $0.nameAlg = nameAlg }
        }
        _ = try register { $0.rsaExponentAsZero = false }
        _ = try register { $0.isCA = nil }
        _ = try register { $0.aaguid = .omitted }
        #expect(detail(try register { $0.manufacturer = "id:4e544300" }, "tpm_manufacturer") == "id:4E544300 Nuvoton Technology")
    }

    // MARK: The statement's syntax

    @Test func statementSyntax() {
        fails(.invalidAttestationStatement, "ver is '1.2'") { _ = try register { $0.ver = "1.2" } }
        fails(.invalidAttestationStatement, "no text 'ver'") { _ = try register { $0.ver = nil } }
        fails(.invalidAttestationStatement, "no x5c") { _ = try register { $0.omitX5C = true } }
        fails(.ecdaaNotSupported, "ECDAA") { _ = try register { $0.addECDAAKeyId = true } }
        // alg written as ES256 while the RSA AIK signs: the AIK key cannot carry it.
        fails(.algorithmMismatch, "cannot sign with") { _ = try register { $0.writtenAlgorithm = .es256 } }
        fails(.algorithmMismatch, "cannot sign with") { _ = try register(aik: .es256, algorithm: .es384) }
    }

    @Test func sizeLimitsComeBeforeParsing() {
        fails(.fieldTooLarge, "certInfo is") { _ = try register { $0.editCertInfo = { $0 += [UInt8](repeating: 0, count: 1024) } } }
        fails(.fieldTooLarge, "pubArea is") { _ = try register { $0.editPubArea = { $0 += [UInt8](repeating: 0, count: 2048) } } }
    }

    // MARK: pubArea

    @Test func pubAreaMustParseAndBeSupported() {
        // Each edit runs before certInfo names the pubArea, so only the structure check can fail.
        fails(.tpmStructureInvalid, "follow TPMT_PUBLIC") { _ = try register { $0.editPubArea = { $0.append(0) } } }
        fails(.tpmStructureInvalid, "unique.rsa") { _ = try register { $0.editPubArea = { $0.removeLast() } } }
        fails(.tpmStructureInvalid, "TPMT_PUBLIC.type") { _ = try register { $0.editPubArea = { $0[1] = 0x08 } } }  // keyedHash
        fails(.tpmStructureInvalid, "nameAlg 0x0027") { _ = try register { $0.nameAlg = 0x0027 } }  // SHA3-256
        fails(.tpmStructureInvalid, "curveID 0x0001") { _ = try register(.es256, aik: .es256) { $0.curveID = 0x0001 } }  // P-192
        // keyBits (at offset 2+2+4+34+2+2) not the modulus' size.
        fails(.tpmStructureInvalid, "keyBits is 1024") { _ = try register { $0.editPubArea = { $0[46] = 0x04 } } }
    }

    @Test func pubAreaKeyIsTheCredentialKey() {
        fails(.attestationKeyMismatch, "moduli differ") { _ = try register { $0.pubAreaKey = TPMFixture.otherRSA } }
        fails(.attestationKeyMismatch, "points differ") { _ = try register(.es256) { $0.pubAreaKey = TPMFixture.otherEC } }
        // RSA pubArea for an EC credential, and the reverse.
        fails(.attestationKeyMismatch, "pubArea is RSA") { _ = try register(.es256) { $0.pubAreaKey = TPMFixture.otherRSA } }
        fails(.attestationKeyMismatch, "pubArea is ECC P-256") { _ = try register(.rs256) { $0.pubAreaKey = TPMFixture.otherEC } }
        // The right point on the wrong curve: the ES256 key's coordinates under TPM_ECC_NIST_P384.
        fails(.attestationKeyMismatch, "pubArea is ECC P-384") { _ = try register(.es256) { $0.curveID = 0x0004 } }
        // The modulus matches but the exponent (offset 48) does not.
        fails(.attestationKeyMismatch, "exponents differ") { _ = try register { $0.editPubArea = { $0[51] = 3 } } }
    }

    // MARK: certInfo

    @Test func certInfoMagicAndType() {
        fails(.tpmStructureInvalid, "magic is") { _ = try register { $0.magic = 0xFF54_4348 } }
        fails(.tpmStructureInvalid, "type is 0x8018") { _ = try register { $0.type = 0x8018 } }  // TPM_ST_ATTEST_QUOTE
        fails(.tpmStructureInvalid, "follow TPMS_ATTEST") { _ = try register { $0.editCertInfo = { $0.append(0) } } }
        fails(.tpmStructureInvalid, "attested.qualifiedName") { _ = try register { $0.editCertInfo = { $0.removeLast() } } }
    }

    @Test func certInfoExtraData() {
        expectCode(.tpmExtraDataMismatch) { _ = try register { $0.extraData = [UInt8](repeating: 7, count: 32) } }
        expectCode(.tpmExtraDataMismatch) { _ = try register { $0.extraData = [] } }
    }

    @Test func certInfoName() {
        expectCode(.tpmNameMismatch) { _ = try register { $0.attestedName = [0x00, 0x0B] + [UInt8](repeating: 1, count: 32) } }
        // A Name under another nameAlg than pubArea's.
        expectCode(.tpmNameMismatch) {
            _ = try register { $0.attestedName = [0x00, 0x04] + [UInt8](repeating: 1, count: 20) }
        }
    }

    // MARK: The AIK signature

    @Test func signatureOverCertInfo() {
        expectCode(.badSignature) { _ = try register { $0.signingKey = TPMFixture.otherRSA } }
        expectCode(.badSignature) { _ = try register(aik: .es256) { $0.signingKey = TPMFixture.otherEC } }
    }

    // MARK: The AIK certificate (§8.3.1)

    @Test func aikCertificateRequirements() {
        fails(.tpmCertificateInvalid, "version is 1") { _ = try register { $0.certificateVersion = 1 } }
        fails(.tpmCertificateInvalid, "subject has 1") { _ = try register { $0.subject = [("CN", "AIK")] } }
        fails(.tpmCertificateInvalid, "no subjectAltName") { _ = try register { $0.subjectAltName = .omitted } }
        fails(.tpmCertificateInvalid, "not critical") { _ = try register { $0.subjectAltNameCritical = false } }
        fails(.tpmCertificateInvalid, "not a directoryName") {
            // A dNSName instead of the directoryName.
            _ = try register { $0.subjectAltName = .raw([0x30, 0x05, 0x82, 0x03, 0x74, 0x70, 0x6D]) }
        }
        fails(.tpmCertificateInvalid, "no extendedKeyUsage") { _ = try register { $0.extendedKeyUsage = nil } }
        fails(.tpmCertificateInvalid, "does not list") { _ = try register { $0.extendedKeyUsage = ["1.3.6.1.5.5.7.3.2"] } }
        fails(.tpmCertificateInvalid, "CA: true") { _ = try register { $0.isCA = true } }
        fails(.tpmCertificateInvalid, "OCTET STRING of 16") { _ = try register { $0.aaguid = .other([UInt8](repeating: 1, count: 15)) } }
    }

    @Test func tpmVendorFromTheRegistry() {
        fails(.tpmVendorUnknown, "id:12345678") { _ = try register { $0.manufacturer = "id:12345678" } }
        fails(.tpmVendorUnknown, "FFFFF1D0") { _ = try register { $0.manufacturer = "id:FFFFF1D0" } }
        fails(.tpmVendorUnknown, "'NTC'") { _ = try register { $0.manufacturer = "NTC" } }
    }

    @Test func aaguidExtensionMatchesAuthenticatorData() {
        expectCode(.aaguidMismatch) { _ = try register { $0.aaguid = .other([UInt8](repeating: 0x42, count: 16)) } }
    }
}
