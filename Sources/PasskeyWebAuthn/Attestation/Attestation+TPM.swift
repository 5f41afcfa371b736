import PasskeyJSON
import PasskeyAttestationData
import PasskeyCOSE
import PasskeyCrypto

/// Object identifiers the `tpm` format checks in the AIK certificate.
enum TPMOID {
    static let subjectAltName = "2.5.29.17"
    static let extendedKeyUsage = "2.5.29.37"
}

extension WebAuthnVerifier {
    /// The `tpm` format (WebAuthn L3 §8.3, certificate requirements §8.3.1): the TPM certified the credential key
    /// (`certInfo`, a TPMS_ATTEST signed with the AIK) and the AIK certificate vouches for the TPM.
    ///
    /// Steps, in the spec's order, each with its own code: the statement's syntax (`ver` "2.0", `alg`, `x5c`, `sig`,
    /// `certInfo`, `pubArea`; sizes before parsing), the pubArea key is the credential key, certInfo's magic, type,
    /// extraData and attested name, the signature over certInfo with the AIK, the AIK certificate requirements, its
    /// TPM vendor, its AAGUID extension. Trust in the chain is evaluated afterwards (AttestationTrust.swift).
    func verifyTPM(_ statement: AttestationStatementReader, _ inputs: StatementInputs) throws(WebAuthnError) -> StatementResult {
        // Syntax (tpmStmtFormat): ECDAA (ecdaaKeyId, Level 2) is gone from Level 3; x5c is required.
        if statement.has("ecdaaKeyId") {
            throw WebAuthnError(
                .ecdaaNotSupported, "ECDAA attestation (ecdaaKeyId) is not supported: no current authenticator uses it and L3 removed it")
        }
        let ver = try statement.text("ver")
        guard ver == "2.0" else {
            throw WebAuthnError(.invalidAttestationStatement, "'tpm' attestation ver is '\(clipped(ver, 16))', must be \"2.0\"")
        }
        let alg = try attestationAlgorithm(statement, inputs.policy)
        let certificates = try statement.requiredCertificates()
        let sig = try statement.signature()
        let certInfoBytes = try statement.bytes("certInfo")
        let pubAreaBytes = try statement.bytes("pubArea")
        try InputLimits.check("tpm attestation certInfo", certInfoBytes.count, TPMSAttest.maximumByteCount)
        try InputLimits.check("tpm attestation pubArea", pubAreaBytes.count, TPMTPublic.maximumByteCount)
        guard let attestationHash = alg.signatureScheme?.hash else {
            throw WebAuthnError(.unsupportedAlgorithm, "'tpm' attestation alg \(alg) names no hash for extraData")
        }

        // pubArea: the key it describes is the credential key.
        let pubArea: TPMTPublic
        do throws(TPMStructureError) {
            pubArea = try TPMTPublic(parsing: pubAreaBytes)
        } catch {
            throw WebAuthnError(.tpmStructureInvalid, "tpm pubArea: \(error.message)")
        }
        guard let nameHash = Self.tpmHash(pubArea.nameAlg) else {
            throw WebAuthnError(
                .tpmStructureInvalid, "tpm pubArea.nameAlg \(Self.hex(pubArea.nameAlg)) is not SHA-1, SHA-256, SHA-384 or SHA-512")
        }
        try checkTPMKey(pubArea, pubAreaBytes, matches: inputs.credentialKey)

        // certInfo: TPM-generated, a certification, over attToBeSigned, naming pubArea.
        let certInfo: TPMSAttest
        do throws(TPMStructureError) {
            certInfo = try TPMSAttest(parsing: certInfoBytes)
        } catch {
            throw WebAuthnError(.tpmStructureInvalid, "tpm certInfo: \(error.message)")
        }
        guard certInfo.magic == TPMConstant.generatedValue else {
            throw WebAuthnError(
                .tpmStructureInvalid, "tpm certInfo.magic is 0x\(Self.hex32(certInfo.magic)), not TPM_GENERATED_VALUE (0xFF544347)")
        }
        guard certInfo.type == TPMConstant.attestCertify else {
            throw WebAuthnError(
                .tpmStructureInvalid, "tpm certInfo.type is \(Self.hex(certInfo.type)), not TPM_ST_ATTEST_CERTIFY (0x8017)")
        }
        let attToBeSignedHash = inputs.clientDataHash.withUnsafeBytes { clientDataHash in
            digest(attestationHash, inputs.authData.bytes, clientDataHash)
        }
        guard UnsafeRawBufferPointer(rebasing: certInfoBytes[certInfo.extraData]).elementsEqual(attToBeSignedHash) else {
            throw WebAuthnError(
                .tpmExtraDataMismatch,
                "tpm certInfo.extraData (\(certInfo.extraData.count) bytes) is not \(attestationHash)(authenticatorData || clientDataHash), the hash \(alg) names")
        }
        let pubAreaName = [UInt8(pubArea.nameAlg >> 8), UInt8(pubArea.nameAlg & 0xFF)]
            + digest(nameHash, pubAreaBytes, UnsafeRawBufferPointer(start: nil, count: 0))
        guard UnsafeRawBufferPointer(rebasing: certInfoBytes[certInfo.attestedName]).elementsEqual(pubAreaName) else {
            throw WebAuthnError(
                .tpmNameMismatch,
                "tpm certInfo.attested.name (\(certInfo.attestedName.count) bytes) is not the Name of pubArea (nameAlg \(Self.hex(pubArea.nameAlg)) || \(nameHash)(pubArea))")
        }

        // The AIK signed certInfo.
        let aik = certificates[0]
        let aikKey: PublicKey
        do throws(CryptoError) {
            aikKey = try aik.publicKey
        } catch {
            throw WebAuthnError(.invalidAttestationCertificate, "tpm AIK certificate key: \(error.message)")
        }
        try checkKey(aikKey, fits: alg, what: "tpm AIK certificate")
        try verifySignature(
            sig, authenticatorData: certInfoBytes, clientDataHash: UnsafeRawBufferPointer(start: nil, count: 0),
            key: aikKey, algorithm: alg, what: "tpm attestation")

        // The AIK certificate (§8.3.1), its vendor, its AAGUID.
        let device = try checkAIKCertificate(aik)
        guard let vendorID = TPMVendorRegistry.vendorID(manufacturer: device.manufacturer) else {
            throw WebAuthnError(
                .tpmVendorUnknown,
                "tpm AIK certificate TPM manufacturer '\(clipped(device.manufacturer, 32))' is not \"id:\" and a vendor ID of eight hex digits")
        }
        guard let vendor = TPMVendorRegistry.name(of: vendorID) else {
            throw WebAuthnError(
                .tpmVendorUnknown,
                "tpm AIK certificate TPM manufacturer id:\(Self.hex32(vendorID)) is not in the \(TPMVendorRegistry.source)")
        }
        try checkAIKAAGUID(aik, aaguid: inputs.authData.attested!.aaguid)

        return StatementResult(
            type: .attCA, certificates: certificates,
            details: [
                AttestationDetail("tpm_manufacturer", "id:\(Self.hex32(vendorID)) \(vendor)"),
                AttestationDetail("tpm_model", clipped(device.model, 64)),
                AttestationDetail("tpm_version", clipped(device.version, 64)),
            ])
    }

    /// hash(a || b), as a new array (registrations are not the hot path).
    private func digest(_ hash: HashAlgorithm, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: hash.digestByteCount)
        out.withUnsafeMutableBytes { signatures.digest(hash, a, b, into: $0) }
        return out
    }

    /// The public key pubArea's `parameters` and `unique` specify is the credential public key: RSA n and e (exponent
    /// 0 meaning 2^16 + 1), or the ECC curve and point. Integers compare by value (a TPM2B may carry a leading zero a
    /// COSE coordinate does not, or the reverse).
    func checkTPMKey(_ pubArea: TPMTPublic, _ bytes: UnsafeRawBufferPointer, matches credential: COSEKey) throws(WebAuthnError) {
        func mismatch(_ why: String) -> WebAuthnError {
            WebAuthnError(.attestationKeyMismatch, "tpm pubArea key is not the credential key: \(why)")
        }
        switch pubArea.key {
        case let .rsa(keyBits, exponent, modulus):
            guard Int(keyBits) == modulus.count * 8 else {
                throw WebAuthnError(
                    .tpmStructureInvalid, "tpm pubArea.parameters.keyBits is \(keyBits) but unique.rsa has \(modulus.count) bytes")
            }
            guard credential.keyType == .rsa else { throw mismatch("pubArea is RSA, the credential key is \(credential.keyType)") }
            guard Self.sameInteger(UnsafeRawBufferPointer(rebasing: bytes[modulus]), credential.first) else {
                throw mismatch("the RSA moduli differ")
            }
            let e = exponent == 0 ? 65537 : exponent
            let eBytes = [UInt8(e >> 24), UInt8(e >> 16 & 0xFF), UInt8(e >> 8 & 0xFF), UInt8(e & 0xFF)]
            guard eBytes.withUnsafeBytes({ Self.sameInteger($0, credential.second) }) else {
                throw mismatch("the RSA exponents differ (pubArea: \(e))")
            }
        case let .ecc(curveID, _, x, y):
            let curve: COSECurve
            switch curveID {
            case TPMECCCurve.nistP256: curve = .p256
            case TPMECCCurve.nistP384: curve = .p384
            case TPMECCCurve.nistP521: curve = .p521
            default:
                throw WebAuthnError(
                    .tpmStructureInvalid, "tpm pubArea.parameters.curveID \(Self.hex(curveID)) is not NIST P-256, P-384 or P-521")
            }
            guard credential.keyType == .ec2, credential.curve == curve else {
                throw mismatch(
                    "pubArea is ECC \(curve), the credential key is \(credential.keyType) \(credential.curve.map { "\($0)" } ?? "")")
            }
            guard Self.sameInteger(UnsafeRawBufferPointer(rebasing: bytes[x]), credential.first),
                Self.sameInteger(UnsafeRawBufferPointer(rebasing: bytes[y]), credential.second)
            else {
                throw mismatch("the EC points differ")
            }
        }
    }

    /// The AIK certificate requirements of §8.3.1, and the device attributes its subjectAltName carries.
    func checkAIKCertificate(_ cert: Certificate) throws(WebAuthnError) -> TPMDeviceAttributes {
        func fail(_ why: String) -> WebAuthnError { WebAuthnError(.tpmCertificateInvalid, "tpm AIK certificate: \(why)") }
        guard cert.version == 3 else { throw fail("version is \(cert.version), must be 3") }
        guard cert.subjectAttributeCount == 0 else {
            throw fail("the subject has \(cert.subjectAttributeCount) attributes, must be empty")
        }
        guard let san = cert.extensionValue(oid: TPMOID.subjectAltName) else {
            throw fail("no subjectAltName extension (EK Credential Profile §3.2.9)")
        }
        // EK Credential Profile §3.2.9 (after RFC 5280 §4.2.1.6): with an empty subject the extension MUST be critical.
        guard cert.isExtensionCritical(oid: TPMOID.subjectAltName) else {
            throw fail("the subjectAltName extension is not critical, as it must be with an empty subject")
        }
        let device: TPMDeviceAttributes
        do throws(TPMStructureError) {
            device = try TPMDeviceAttributes(subjectAltName: san)
        } catch {
            throw fail(error.message)
        }
        guard let eku = cert.extensionValue(oid: TPMOID.extendedKeyUsage) else {
            throw fail("no extendedKeyUsage extension")
        }
        let isAIK: Bool
        do throws(TPMStructureError) {
            isAIK = try TPMCertificateExtensions.extendedKeyUsage(eku, contains: TPMCertificateExtensions.aikCertificatePurpose)
        } catch {
            throw fail(error.message)
        }
        guard isAIK else { throw fail("extendedKeyUsage does not list tcg-kp-AIKCertificate (2.23.133.8.3)") }
        // Absent basicConstraints means "not a CA" (X.509), as for packed (docs/DESIGN.md); CA: TRUE fails.
        if cert.basicConstraintsCA == true { throw fail("basic constraints say CA: true, must be false") }
        return device
    }

    /// §8.3: an id-fido-gen-ce-aaguid extension, when present, holds the authenticator data's AAGUID.
    func checkAIKAAGUID(_ cert: Certificate, aaguid: UnsafeRawBufferPointer) throws(WebAuthnError) {
        guard let value = cert.extensionValue(oid: aaguidExtensionOID) else { return }
        // extnValue holds an OCTET STRING of the 16 AAGUID bytes.
        guard value.count == 18, value[0] == 0x04, value[1] == 0x10 else {
            throw WebAuthnError(
                .tpmCertificateInvalid, "tpm AIK certificate: the AAGUID extension is not an OCTET STRING of 16 bytes")
        }
        guard value[2...].elementsEqual(aaguid) else {
            throw WebAuthnError(
                .aaguidMismatch,
                "tpm AIK certificate AAGUID \(UUIDText.format(Array(value[2...]))) is not the authenticator data's \(UUIDText.format(Array(aaguid)))")
        }
    }

    /// The digest a TPM_ALG_ID names, for the Name computation.
    static func tpmHash(_ alg: UInt16) -> HashAlgorithm? {
        switch alg {
        case TPMAlgorithm.sha1: .sha1
        case TPMAlgorithm.sha256: .sha256
        case TPMAlgorithm.sha384: .sha384
        case TPMAlgorithm.sha512: .sha512
        default: nil
        }
    }

    /// Two unsigned big-endian integers are equal, leading zero bytes aside.
    static func sameInteger(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.drop(while: { $0 == 0 }).elementsEqual(b.drop(while: { $0 == 0 }))
    }

    static func hex(_ v: UInt16) -> String { "0x" + hexDigits(UInt64(v), 4) }
    static func hex32(_ v: UInt32) -> String { hexDigits(UInt64(v), 8) }
    private static func hexDigits(_ v: UInt64, _ width: Int) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
