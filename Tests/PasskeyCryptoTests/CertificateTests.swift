import PasskeyCrypto
import Testing

/// A CA and an attestation-style leaf, built once.
struct TestPKI {
    static let aaguidOID = "1.3.6.1.4.1.45724.1.1.4"
    static let aaguid: [UInt8] = Array(0x10..<0x20)
    static let now: Int64 = 1_760_000_000
    static let day: Int64 = 86_400

    let rootKey: PrivateKey
    let root: Certificate
    let leafKey: PrivateKey
    let leaf: Certificate
    let rootSubject: [(String, String)] = [("C", "US"), ("O", "Passkeyd Test CA"), ("CN", "Passkeyd Test Root")]
    let leafSubject: [(String, String)] = [
        ("C", "DE"), ("O", "Passkeyd Authenticators"), ("OU", "Authenticator Attestation"), ("CN", "Passkeyd Soft Key"),
    ]

    init(leafExtensionCritical: Bool = false, rootKey: PrivateKey? = nil) throws {
        self.rootKey = try rootKey ?? PrivateKey.generateEC(.p256)
        var rootBuilder = CertificateBuilder(subject: rootSubject, serial: 1, notBefore: Self.now - 10 * Self.day,
                                             notAfter: Self.now + 3650 * Self.day, publicKey: self.rootKey.publicKey)
        rootBuilder.isCA = true
        root = try rootBuilder.sign(with: self.rootKey)

        leafKey = try PrivateKey.generateEC(.p256)
        var leafBuilder = CertificateBuilder(subject: leafSubject, issuer: rootSubject, serial: 0x1234_5678_9ABC,
                                             notBefore: Self.now - Self.day, notAfter: Self.now + 365 * Self.day,
                                             publicKey: leafKey.publicKey)
        leafBuilder.isCA = false
        leafBuilder.extraExtensions = [(oid: Self.aaguidOID, critical: leafExtensionCritical, derValue: [0x04, 0x10] + Self.aaguid)]
        leaf = try leafBuilder.sign(with: self.rootKey)
    }
}

@Suite struct CertificateTests {
    /// The subject key is built once per parsed certificate (a batch leaf from the parsed-certificate cache meets
    /// it on every registration): each call gives that one key, and it is the certificate's own.
    @Test func publicKeyIsBuiltOnceAndIsTheCertificates() throws {
        let pki = try TestPKI()
        let parsed = try Certificate(der: pki.leaf.derBytes)
        let first = try parsed.publicKey
        #expect(try parsed.publicKey === first)
        #expect(first.subjectPublicKeyInfoDER() == pki.leafKey.publicKey.subjectPublicKeyInfoDER())
        let message = Array("registration".utf8)
        let verifier = SignatureVerifier()
        let genuine = try pki.leafKey.sign(message, scheme: .ecdsa(.sha256))
        #expect(verifier.verify(signature: genuine, message: message, key: try parsed.publicKey, scheme: .ecdsa(.sha256)) == .valid)
        let forged = try PrivateKey.generateEC(.p256).sign(message, scheme: .ecdsa(.sha256))
        #expect(verifier.verify(signature: forged, message: message, key: try parsed.publicKey, scheme: .ecdsa(.sha256)) == .invalidSignature)
        // Another parse of the same DER builds its own key, equal to the first.
        #expect(try Certificate(der: pki.leaf.derBytes).publicKey.subjectPublicKeyInfoDER() == first.subjectPublicKeyInfoDER())
    }

    @Test func leafProperties() throws {
        let pki = try TestPKI()
        let leaf = pki.leaf
        #expect(leaf.version == 3)
        #expect(leaf.subjectOrganizationalUnits == ["Authenticator Attestation"])
        #expect(leaf.subjectCountry == "DE")
        #expect(leaf.subjectOrganization == "Passkeyd Authenticators")
        #expect(leaf.subjectCommonName == "Passkeyd Soft Key")
        #expect(leaf.basicConstraintsCA == false)
        #expect(leaf.extensionValue(oid: TestPKI.aaguidOID) == [0x04, 0x10] + TestPKI.aaguid)
        #expect(leaf.extensionValue(oid: "2.5.29.19") == [0x30, 0x00])
        #expect(leaf.extensionValue(oid: "2.5.29.15") == nil)
        #expect(leaf.extensionValue(oid: "not an oid") == nil)
        #expect(leaf.isExtensionCritical(oid: "2.5.29.19"))
        #expect(!leaf.isExtensionCritical(oid: TestPKI.aaguidOID))
        #expect(!leaf.isExtensionCritical(oid: "2.5.29.15"))
        #expect(try TestPKI(leafExtensionCritical: true).leaf.isExtensionCritical(oid: TestPKI.aaguidOID))
        #expect(leaf.extensionOIDs == ["2.5.29.19", "2.5.29.14", "2.5.29.35", TestPKI.aaguidOID])
        // The leaf's authority key identifier is the root's subject key identifier.
        let rootSKI = try #require(pki.root.extensionValue(oid: "2.5.29.14"))
        let leafAKI = try #require(leaf.extensionValue(oid: "2.5.29.35"))
        #expect(rootSKI.count == 22 && rootSKI[0] == 0x04)
        #expect(Array(leafAKI.suffix(20)) == Array(rootSKI.suffix(20)))
        #expect(leaf.extensionValue(oid: "2.5.29.14") != rootSKI)
        #expect(leaf.notBefore == TestPKI.now - TestPKI.day)
        #expect(leaf.notAfter == TestPKI.now + 365 * TestPKI.day)
        #expect(try leaf.publicKey.subjectPublicKeyInfoDER() == pki.leafKey.publicKey.subjectPublicKeyInfoDER())
        #expect(leaf.issuerAttributes.map(\.1) == pki.rootSubject.map(\.1))
        #expect(leaf.subjectAttributes.map(\.0) == ["C", "O", "OU", "CN"])

        let root = pki.root
        #expect(root.basicConstraintsCA == true)
        #expect(root.subjectOrganizationalUnits.isEmpty)
        #expect(root.subjectCommonName == "Passkeyd Test Root")
        #expect(root.extensionValue(oid: TestPKI.aaguidOID) == nil)
    }

    @Test func encodingsRoundTrip() throws {
        let pki = try TestPKI()
        let pem = pki.leaf.pemString
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        let fromPEM = try Certificate(pem: pem)
        #expect(fromPEM.derBytes == pki.leaf.derBytes)
        let fromDER = try Certificate(der: pki.leaf.derBytes)
        #expect(fromDER.derBytes == pki.leaf.derBytes)
        #expect(fromDER.subjectOrganizationalUnits == ["Authenticator Attestation"])

        #expect(throws: CryptoError.self) { try Certificate(der: pki.leaf.derBytes + [0]) }
        #expect(throws: CryptoError.self) { try Certificate(der: Array(pki.leaf.derBytes.dropLast())) }
        #expect(throws: CryptoError.self) { try Certificate(der: []) }
        #expect(throws: CryptoError.self) { try Certificate(der: [0x30, 0x00]) }
        #expect(throws: CryptoError.self) { try Certificate(pem: "hello") }
        let error = #expect(throws: CryptoError.self) { try Certificate(der: [1, 2, 3]) }
        #expect(error?.code == .malformedCertificate)
    }

    @Test func versionOneCertificate() throws {
        let key = try PrivateKey.generateEC(.p256)
        var builder = CertificateBuilder(subject: [("CN", "v1")], serial: 7, notBefore: 0, notAfter: 4_000_000_000,
                                         publicKey: key.publicKey)
        builder.version = 1
        let cert = try builder.sign(with: key)
        #expect(cert.version == 1)
        #expect(cert.basicConstraintsCA == nil)
        #expect(cert.extensionOIDs.isEmpty)
        #expect(cert.notBefore == 0)
        #expect(cert.notAfter == 4_000_000_000)   // after 2050: GeneralizedTime

        builder.isCA = false
        #expect(throws: CryptoError.self) { try builder.sign(with: key) }
        builder.isCA = nil
        builder.version = 2
        #expect(throws: CryptoError.self) { try builder.sign(with: key) }
    }

    @Test func repeatedExtensionIsRejected() throws {
        let key = try PrivateKey.generateEC(.p256)
        var builder = CertificateBuilder(subject: [("CN", "dup")], serial: 1, notBefore: 0, notAfter: 2_000_000_000,
                                         publicKey: key.publicKey)
        builder.extraExtensions = [(oid: TestPKI.aaguidOID, critical: false, derValue: [0x04, 0x01, 0x01]),
                                   (oid: TestPKI.aaguidOID, critical: false, derValue: [0x04, 0x01, 0x02])]
        let error = #expect(throws: CryptoError.self) { try builder.sign(with: key) }
        #expect(error?.code == .malformedCertificate)
    }

    @Test(arguments: ["rsa", "ed25519", "p384"])
    func otherSignatureAlgorithms(issuer: String) throws {
        let issuerKey: PrivateKey = switch issuer {
        case "rsa": Fixtures.rsaA
        case "ed25519": try .generateEdwards(.ed25519)
        default: try .generateEC(.p384)
        }
        let pki = try TestPKI(rootKey: issuerKey)
        #expect(ChainVerifier(trustAnchors: [pki.root]).verify(leaf: pki.leaf, intermediates: [], at: TestPKI.now) == nil)
        #expect(try pki.root.publicKey.kind == issuerKey.publicKey.kind)
    }
}
