public import PasskeyCOSE
public import PasskeyCrypto
import PasskeyCBOR

/// What a software "TPM" puts in a `tpm` attestation statement (WebAuthn L3 §8.3), and the knobs that break each
/// check a verifier makes. The defaults produce a statement that verifies: pubArea for the credential key,
/// certInfo from TPM2_Certify with extraData = H_alg(authData || clientDataHash), an AIK certificate with an empty
/// subject, a critical subjectAltName (Nuvoton, in the EK Credential Profile's one-RDN-per-attribute form), the
/// tcg-kp-AIKCertificate EKU, CA: false and the authenticator's AAGUID.
public struct TPMAttestationOptions: Sendable {
    public enum SubjectAltName: Sendable {
        /// Three RDNs of one attribute each (EK Credential Profile, Annex A).
        case attributePerRDN
        /// One RDN holding all three attributes, in DER SET order (Windows AIK certificates for Nuvoton TPMs).
        case multiValuedRDN
        /// This extnValue, as given.
        case raw([UInt8])
        case omitted
    }

    public enum AAGUID: Sendable {
        case authenticator
        case other([UInt8])
        case omitted
    }

    // The statement.
    /// `ver`; nil leaves it out.
    public var ver: String? = "2.0"
    /// `alg` as written, when it should differ from the algorithm the AIK signs with.
    public var writtenAlgorithm: COSEAlgorithm? = nil
    public var omitX5C = false
    public var addECDAAKeyId = false
    /// Sign certInfo with this key instead of the AIK (a signature that does not verify).
    public var signingKey: PrivateKey? = nil

    // pubArea (TPMT_PUBLIC).
    public var nameAlg: UInt16 = 0x000B
    /// TPMA_OBJECT: fixedTPM, fixedParent, sensitiveDataOrigin, userWithAuth, noDA, sign (what Windows Hello sets).
    public var objectAttributes: UInt32 = 0x0006_0472
    /// Describe this key instead of the credential key.
    public var pubAreaKey: PrivateKey? = nil
    /// RSA: write the exponent 65537 as 0, as TPMs do (TPM 2.0 Part 2 §12.2.3.5).
    public var rsaExponentAsZero = true
    /// ECC: this TPM_ECC_CURVE instead of the key's.
    public var curveID: UInt16? = nil
    /// Runs on the finished pubArea, before certInfo names it.
    public var editPubArea: (@Sendable (inout [UInt8]) -> Void)? = nil

    // certInfo (TPMS_ATTEST).
    public var magic: UInt32 = 0xFF54_4347
    public var type: UInt16 = 0x8017
    /// extraData as written, instead of H_alg(authData || clientDataHash).
    public var extraData: [UInt8]? = nil
    /// attested.name as written, instead of nameAlg || H_nameAlg(pubArea).
    public var attestedName: [UInt8]? = nil
    /// Runs on the finished certInfo, before it is signed.
    public var editCertInfo: (@Sendable (inout [UInt8]) -> Void)? = nil

    // The AIK certificate.
    public var certificateVersion = 3
    public var subject: [(String, String)] = []
    public var subjectAltName: SubjectAltName = .attributePerRDN
    public var subjectAltNameCritical = true
    public var manufacturer = "id:4E544300"
    public var model = "NPCT75x"
    public var firmwareVersion = "id:0007000B"
    /// The EKU's purposes, dotted; nil leaves the extension out.
    public var extendedKeyUsage: [String]? = ["2.23.133.8.3"]
    public var isCA: Bool? = false
    public var aaguid: AAGUID = .authenticator

    public init() {}
}

extension SoftAttestation {
    /// A `tpm` attestation: `aik` signs certInfo with `algorithm`; its certificate is issued per registration by
    /// `issuer` (a TestCA intermediate, so x5c = [AIK, intermediate, ...]).
    public static func tpm(
        issuer: TestCA, aik: PrivateKey, algorithm: COSEAlgorithm = .rs256, options: TPMAttestationOptions = TPMAttestationOptions()
    ) -> SoftAttestation {
        .statement(format: "tpm") { authenticator, authData, clientDataHash in
            try SoftTPM.statement(
                authenticator: authenticator, authData: authData, clientDataHash: clientDataHash, issuer: issuer, aik: aik,
                algorithm: algorithm, options: options
            ).encoded
        }
    }
}

/// The software TPM: TPM 2.0 structures written by hand (big-endian, TPM2B = UINT16 size || bytes), independently of
/// the parsers in PasskeyAttestationData.
public enum SoftTPM {
    /// What the software TPM produced for one registration.
    public struct Statement: Sendable {
        public var certInfo: [UInt8]
        public var pubArea: [UInt8]
        public var signature: [UInt8]
        /// [AIK certificate, the issuer's chain...]; empty when `omitX5C`.
        public var x5c: [Certificate]
        /// The attStmt map, CBOR.
        public var encoded: [UInt8]
    }

    /// Runs TPM2_Certify over the credential key's public area and writes the attestation statement.
    public static func statement(
        authenticator: SoftAuthenticator, authData: [UInt8], clientDataHash: [UInt8], issuer: TestCA, aik: PrivateKey,
        algorithm: COSEAlgorithm, options o: TPMAttestationOptions = TPMAttestationOptions()
    ) throws -> Statement {
        var pubArea = try publicArea(for: o.pubAreaKey ?? authenticator.privateKey, options: o)
        o.editPubArea?(&pubArea)
        let hashes = SignatureVerifier()
        guard let attestationHash = algorithm.signatureScheme?.hash else {
            throw SoftError("tpm attestation needs an algorithm with a hash")
        }
        // A nameAlg the soft TPM cannot hash (a test of unsupported ones) still gets a SHA-256 Name.
        let nameHash = hash(o.nameAlg) ?? .sha256
        let name = be16(o.nameAlg) + hashes.digest(nameHash, pubArea)
        var certInfo = be32(o.magic) + be16(o.type)
        certInfo += tpm2b(be16(0x000B) + SoftRandom.bytes(32))  // qualifiedSigner: the AIK's Name
        certInfo += tpm2b(o.extraData ?? hashes.digest(attestationHash, authData + clientDataHash))
        certInfo += be64(0x0000_0001_2345_6789) + be32(7) + be32(3) + [1]  // clockInfo: clock, resets, restarts, safe
        certInfo += be64(0x0007_000B_0000_0000)  // firmwareVersion
        certInfo += tpm2b(o.attestedName ?? name)
        certInfo += tpm2b(be16(o.nameAlg) + SoftRandom.bytes(nameHash.digestByteCount))  // qualifiedName
        o.editCertInfo?(&certInfo)
        let sig = try (o.signingKey ?? aik).sign(certInfo, scheme: algorithm.signatureScheme!)

        let chain = o.omitX5C
            ? [] : [try certificate(for: aik, issuer: issuer, aaguid: authenticator.aaguid, options: o)] + issuer.chainAboveLeaf
        var w = CBORWriter()
        w.beginMap(4 + (o.ver == nil ? 0 : 1) + (o.omitX5C ? 0 : 1) + (o.addECDAAKeyId ? 1 : 0))
        if let ver = o.ver { w.writeText("ver"); w.writeText(ver) }
        w.writeText("alg"); w.writeInt((o.writtenAlgorithm ?? algorithm).rawValue)
        if !o.omitX5C {
            w.writeText("x5c"); w.beginArray(chain.count)
            for c in chain { w.writeBytes(c.derBytes) }
        }
        w.writeText("sig"); w.writeBytes(sig)
        w.writeText("certInfo"); w.writeBytes(certInfo)
        w.writeText("pubArea"); w.writeBytes(pubArea)
        if o.addECDAAKeyId { w.writeText("ecdaaKeyId"); w.writeBytes(SoftRandom.bytes(32)) }
        return Statement(certInfo: certInfo, pubArea: pubArea, signature: sig, x5c: chain, encoded: w.bytes)
    }

    /// TPMT_PUBLIC for `key`: symmetric, scheme (and for ECC kdf) TPM_ALG_NULL, as a signing key's are.
    public static func publicArea(for key: PrivateKey, options o: TPMAttestationOptions = TPMAttestationOptions()) throws -> [UInt8] {
        let null = be16(0x0010)
        let authPolicy = tpm2b(Array(repeating: 0x9D, count: 32))
        switch key.publicComponents {
        case let .rsa(modulus, exponent):
            let n = Array(modulus.drop(while: { $0 == 0 }))
            let e = exponent.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let written: UInt32 = o.rsaExponentAsZero && e == 65537 ? 0 : e
            return be16(0x0001) + be16(o.nameAlg) + be32(o.objectAttributes) + authPolicy
                + null + null + be16(UInt16(n.count * 8)) + be32(written) + tpm2b(n)
        case let .ec(curve, x, y):
            let id: UInt16
            switch curve {
            case .p256: id = 0x0003
            case .p384: id = 0x0004
            case .p521: id = 0x0005
            default: throw SoftError("no TPM curve for \(curve)")
            }
            return be16(0x0023) + be16(o.nameAlg) + be32(o.objectAttributes) + authPolicy
                + null + null + be16(o.curveID ?? id) + null + tpm2b(x) + tpm2b(y)
        case .edwards:
            throw SoftError("TPMs have no Edwards keys")
        }
    }

    /// The AIK certificate, issued now (its AAGUID is the authenticator's).
    static func certificate(for aik: PrivateKey, issuer: TestCA, aaguid: [UInt8], options o: TPMAttestationOptions) throws -> Certificate {
        var extensions: [(oid: String, critical: Bool, derValue: [UInt8])] = []
        switch o.subjectAltName {
        case .attributePerRDN, .multiValuedRDN:
            extensions.append(
                (
                    "2.5.29.17", o.subjectAltNameCritical,
                    subjectAltName(
                        manufacturer: o.manufacturer, model: o.model, version: o.firmwareVersion,
                        multiValued: { if case .multiValuedRDN = o.subjectAltName { true } else { false } }())
                ))
        case let .raw(der):
            extensions.append(("2.5.29.17", o.subjectAltNameCritical, der))
        case .omitted:
            break
        }
        if let purposes = o.extendedKeyUsage {
            extensions.append(("2.5.29.37", false, extendedKeyUsage(purposes)))
        }
        switch o.aaguid {
        case .authenticator: extensions.append((TestCA.aaguidOID, false, [0x04, 0x10] + aaguid))
        case let .other(bytes): extensions.append((TestCA.aaguidOID, false, [0x04, UInt8(bytes.count)] + bytes))
        case .omitted: break
        }
        if o.certificateVersion == 1 {
            return try issuer.issue(subject: o.subject, publicKey: aik.publicKey, isCA: nil, version: 1)
        }
        return try issuer.issue(
            subject: o.subject, publicKey: aik.publicKey, isCA: o.isCA, extensions: extensions, version: o.certificateVersion)
    }

    /// GeneralNames with one directoryName holding tcg-at-tpmManufacturer, tcg-at-tpmModel and tcg-at-tpmVersion (EK
    /// Credential Profile §3.2.9), one RDN per attribute or all three in one RDN (sorted as DER sorts a SET OF).
    public static func subjectAltName(manufacturer: String, model: String, version: String, multiValued: Bool) -> [UInt8] {
        let attributes = [("2.23.133.2.1", manufacturer), ("2.23.133.2.2", model), ("2.23.133.2.3", version)].map {
            SoftDER.tlv(0x30, SoftDER.oid($0.0) + SoftDER.tlv(0x0C, Array($0.1.utf8)))
        }
        let name: [UInt8]
        if multiValued {
            name = SoftDER.tlv(0x30, SoftDER.tlv(0x31, attributes.sorted(by: SoftDER.setOrder).flatMap { $0 }))
        } else {
            name = SoftDER.tlv(0x30, attributes.flatMap { SoftDER.tlv(0x31, $0) })
        }
        return SoftDER.tlv(0x30, SoftDER.tlv(0xA4, name))
    }

    /// ExtKeyUsageSyntax: a SEQUENCE of the purposes' OIDs (dotted).
    public static func extendedKeyUsage(_ purposes: [String]) -> [UInt8] {
        SoftDER.tlv(0x30, purposes.flatMap { SoftDER.oid($0) })
    }

    static func hash(_ alg: UInt16) -> HashAlgorithm? {
        switch alg {
        case 0x0004: .sha1
        case 0x000B: .sha256
        case 0x000C: .sha384
        case 0x000D: .sha512
        default: nil
        }
    }

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }
    static func be64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) } }
    static func tpm2b(_ b: [UInt8]) -> [UInt8] { be16(UInt16(b.count)) + b }
}
