import PasskeyAttestationData
import Testing

/// DER written by hand for the subjectAltName and EKU tests.
enum DERBytes {
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        let n = content.count
        precondition(n <= 0xFFFF)
        if n < 0x80 { return [tag, UInt8(n)] + content }
        if n <= 0xFF { return [tag, 0x81, UInt8(n)] + content }
        return [tag, 0x82, UInt8(n >> 8), UInt8(n & 0xFF)] + content
    }
    static func oid(_ contents: [UInt8]) -> [UInt8] { tlv(0x06, contents) }
    static func utf8(_ s: String) -> [UInt8] { tlv(0x0C, Array(s.utf8)) }
    static func atv(_ oid: [UInt8], _ value: [UInt8]) -> [UInt8] { tlv(0x30, Self.oid(oid) + value) }

    static let manufacturerOID: [UInt8] = [0x67, 0x81, 0x05, 0x02, 0x01]
    static let modelOID: [UInt8] = [0x67, 0x81, 0x05, 0x02, 0x02]
    static let versionOID: [UInt8] = [0x67, 0x81, 0x05, 0x02, 0x03]

    static func attributes(_ m: String = "id:494E5443", _ model: String = "ICL", _ v: String = "id:00020000") -> [[UInt8]] {
        [atv(manufacturerOID, utf8(m)), atv(modelOID, utf8(model)), atv(versionOID, utf8(v))]
    }

    /// GeneralNames { directoryName [4] Name { RDNs } }.
    static func san(_ rdns: [[UInt8]]) -> [UInt8] {
        tlv(0x30, tlv(0xA4, tlv(0x30, rdns.flatMap { $0 })))
    }

    static func rdn(_ atvs: [[UInt8]]) -> [UInt8] { tlv(0x31, atvs.flatMap { $0 }) }
}

@Suite struct TPMDeviceAttributesTests {
    typealias D = DERBytes

    /// The shape of Windows AIK certificates for Intel TPMs (and the EK Credential Profile's Annex A): one RDN each.
    @Test func attributePerRDN() throws {
        let der = D.san(D.attributes().map { D.rdn([$0]) })
        let a = try TPMDeviceAttributes(subjectAltName: der)
        #expect(a.manufacturer == "id:494E5443" && a.model == "ICL" && a.version == "id:00020000")
        #expect(a.encoding == .attributePerRDN && a.order == [.manufacturer, .model, .version])
        // Any order of the three RDNs is the same Name content.
        let reordered = try TPMDeviceAttributes(subjectAltName: D.san(D.attributes().reversed().map { D.rdn([$0]) }))
        #expect(reordered.order == [.version, .model, .manufacturer] && reordered.manufacturer == "id:494E5443")
    }

    /// The shape of Windows AIK certificates for Nuvoton TPMs: one RDN with all three, in DER SET order (shortest
    /// encoding first here: "id:13" < "NPCT6xx" < "id:4E544300").
    @Test func multiValuedRDN() throws {
        let atvs = D.attributes("id:4E544300", "NPCT6xx", "id:13")
        let der = D.san([D.rdn([atvs[2], atvs[1], atvs[0]])])
        let a = try TPMDeviceAttributes(subjectAltName: der)
        #expect(a.manufacturer == "id:4E544300" && a.model == "NPCT6xx" && a.version == "id:13")
        #expect(a.encoding == .multiValuedRDN && a.order == [.version, .model, .manufacturer])
        // The same RDN out of DER SET order is not DER.
        expectTPMError(.invalidDER) { _ = try TPMDeviceAttributes(subjectAltName: D.san([D.rdn(atvs)])) }
    }

    @Test func nothingElseIsAccepted() {
        let atvs = D.attributes()
        let perRDN = atvs.map { D.rdn([$0]) }
        let cases: [(String, [UInt8])] = [
            ("two RDNs, one holding two attributes", D.san([D.rdn([atvs[0]]), D.rdn([atvs[1], atvs[2]])])),
            ("a missing attribute", D.san(Array(perRDN.prefix(2)))),
            ("a repeated attribute", D.san([perRDN[0], perRDN[0], perRDN[1]])),
            ("a fourth attribute", D.san(perRDN + [D.rdn([D.atv([0x67, 0x81, 0x05, 0x02, 0x0F], D.utf8("x"))])])),
            ("a foreign attribute", D.san([perRDN[0], perRDN[1], D.rdn([D.atv([0x55, 0x04, 0x03], D.utf8("x"))])])),
            ("a PrintableString value", D.san([perRDN[0], perRDN[1], D.rdn([D.atv(D.versionOID, D.tlv(0x13, Array("1".utf8)))])])),
            ("an empty value", D.san([perRDN[0], perRDN[1], D.rdn([D.atv(D.versionOID, D.utf8(""))])])),
            ("invalid UTF-8", D.san([perRDN[0], perRDN[1], D.rdn([D.atv(D.versionOID, D.tlv(0x0C, [0xC3, 0x28]))])])),
            ("an empty RDN", D.san(perRDN + [D.tlv(0x31, [])])),
            ("a dNSName instead", D.tlv(0x30, D.tlv(0x82, Array("tpm.example".utf8)))),
            ("a second GeneralName", D.tlv(0x30, D.tlv(0xA4, D.tlv(0x30, perRDN.flatMap { $0 })) + D.tlv(0x82, [0x61]))),
            ("no GeneralName", D.tlv(0x30, [])),
            ("the Name not wrapped in [4]", D.tlv(0x30, D.tlv(0x30, perRDN.flatMap { $0 }))),
            ("trailing bytes", D.san(perRDN) + [0x00]),
            ("truncated", Array(D.san(perRDN).dropLast())),
            ("not DER at all", [0xFF, 0xFF]),
        ]
        for (what, der) in cases {
            do {
                _ = try TPMDeviceAttributes(subjectAltName: der)
                Issue.record("accepted \(what)")
            } catch {
                #expect(error.code == .invalidDER, "\(what): \(error)")
            }
        }
    }

    @Test func sizeLimits() {
        expectTPMError(.tooLarge) {
            _ = try TPMDeviceAttributes(subjectAltName: [UInt8](repeating: 0x30, count: TPMDeviceAttributes.maximumByteCount + 1))
        }
        let longest = String(repeating: "M", count: TPMDeviceAttributes.maximumValueByteCount)
        #expect(throws: Never.self) {
            _ = try TPMDeviceAttributes(subjectAltName: D.san(D.attributes("id:494E5443", longest).map { D.rdn([$0]) }))
        }
        expectTPMError(.invalidDER) {
            _ = try TPMDeviceAttributes(subjectAltName: D.san(D.attributes("id:494E5443", longest + "M").map { D.rdn([$0]) }))
        }
    }
}

@Suite struct TPMCertificateExtensionTests {
    typealias D = DERBytes
    let aik = TPMCertificateExtensions.aikCertificatePurpose

    @Test func extendedKeyUsage() throws {
        let serverAuth: [UInt8] = [0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01]
        #expect(try TPMCertificateExtensions.extendedKeyUsage(D.tlv(0x30, D.oid(aik)), contains: aik))
        #expect(try TPMCertificateExtensions.extendedKeyUsage(D.tlv(0x30, D.oid(serverAuth) + D.oid(aik)), contains: aik))
        #expect(try !TPMCertificateExtensions.extendedKeyUsage(D.tlv(0x30, D.oid(serverAuth)), contains: aik))
        // A prefix of the OID is not the OID.
        #expect(try !TPMCertificateExtensions.extendedKeyUsage(D.tlv(0x30, D.oid(Array(aik.dropLast()))), contains: aik))
        for bad in [D.tlv(0x30, []), D.tlv(0x31, D.oid(aik)), D.tlv(0x30, D.utf8("x")), D.tlv(0x30, D.oid(aik)) + [0]] {
            expectTPMError(.invalidDER) { _ = try TPMCertificateExtensions.extendedKeyUsage(bad, contains: aik) }
        }
        let many = D.tlv(0x30, (0..<65).flatMap { _ in D.oid([0x2A]) })
        expectTPMError(.tooLarge) { _ = try TPMCertificateExtensions.extendedKeyUsage(many, contains: aik) }
    }
}

@Suite struct TPMVendorRegistryTests {
    @Test func entriesAreTheirASCIIAndUnique() {
        var seen = Set<UInt32>()
        for entry in TPMVendorRegistry.entries {
            #expect(seen.insert(entry.id).inserted, "\(entry.name) listed twice")
            // The registry's IDs are the vendor's ASCII letters, padded to four bytes with 0x00 (or a space).
            var bytes = Array(entry.ascii.utf8)
            let pad: UInt8 = ["NSM", "STM"].contains(entry.ascii) ? 0x20 : 0x00
            while bytes.count < 4 { bytes.append(pad) }
            let id = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(id == entry.id, "\(entry.ascii)")
            #expect(TPMVendorRegistry.name(of: entry.id) == entry.name)
        }
        #expect(TPMVendorRegistry.entries.count == 29)
        #expect(TPMVendorRegistry.name(of: 0x4E54_4300) == "Nuvoton Technology")
        // FIDO's conformance vendor is not a registered TPM vendor.
        #expect(TPMVendorRegistry.name(of: 0xFFFF_F1D0) == nil)
    }

    @Test func manufacturerValues() {
        #expect(TPMVendorRegistry.vendorID(manufacturer: "id:4E544300") == 0x4E54_4300)
        #expect(TPMVendorRegistry.vendorID(manufacturer: "id:4e544300") == 0x4E54_4300)
        for bad in ["NTC", "id:4E5443", "id:4E54430000", "ID:4E544300", "id:4E54430G", "id: 4E54430", "", "id:"] {
            #expect(TPMVendorRegistry.vendorID(manufacturer: bad) == nil, "\(bad)")
        }
    }
}
