import SwiftASN1

/// The TPM device attributes an AIK certificate carries in its subjectAltName (TCG EK Credential Profile for TPM
/// Family 2.0, §3.2.9, attributes defined in §3.1.2): `GeneralNames` holding one `directoryName` whose Name holds
/// tcg-at-tpmManufacturer (2.23.133.2.1), tcg-at-tpmModel (2.23.133.2.2) and tcg-at-tpmVersion (2.23.133.2.3), each
/// a UTF8String, each exactly once.
///
/// Two encodings of that Name are accepted, and nothing else:
/// - ``Encoding-swift.enum/attributePerRDN``: three RDNs of one attribute each — the profile's own example
///   (Annex A) and what Windows AIK certificates for Intel TPMs carry;
/// - ``Encoding-swift.enum/multiValuedRDN``: one RDN holding all three attributes, in DER SET order — what Windows AIK
///   certificates for Nuvoton TPMs carry (py_webauthn's test vectors, `test_verify_attestation_dell_xps_13`;
///   fido2-net-lib repacks this form for the same reason).
///
/// Pure DER parsing on swift-asn1 (strict DER: minimal lengths, no trailing bytes, SET order); no crypto.
public struct TPMDeviceAttributes: Sendable, Hashable {
    /// The largest subjectAltName extension value accepted, checked before parsing (real ones are 60–80 bytes).
    public static let maximumByteCount = 1024
    /// The longest attribute value accepted (real ones are 3–16 bytes).
    public static let maximumValueByteCount = 256

    public enum Encoding: Sendable, Hashable {
        case attributePerRDN
        case multiValuedRDN
    }

    public enum Attribute: Sendable, Hashable, CaseIterable {
        case manufacturer, model, version

        /// The OID's DER contents (2.23.133.2.1, .2, .3).
        public var oidContents: [UInt8] {
            switch self {
            case .manufacturer: [0x67, 0x81, 0x05, 0x02, 0x01]
            case .model: [0x67, 0x81, 0x05, 0x02, 0x02]
            case .version: [0x67, 0x81, 0x05, 0x02, 0x03]
            }
        }

        var name: String {
            switch self {
            case .manufacturer: "tcg-at-tpmManufacturer"
            case .model: "tcg-at-tpmModel"
            case .version: "tcg-at-tpmVersion"
            }
        }
    }

    /// e.g. "id:4E544300" (see ``TPMVendorRegistry``).
    public var manufacturer: String
    /// The TPM part number, e.g. "NPCT6xx".
    public var model: String
    /// The TPM firmware version, e.g. "id:13".
    public var version: String
    public var encoding: Encoding
    /// The attributes in the order they were encoded (for the multi-valued RDN: DER SET order).
    public var order: [Attribute]

    /// Parses a subjectAltName extension value (the extnValue OCTET STRING's contents).
    public init(subjectAltName der: [UInt8]) throws(TPMStructureError) {
        guard der.count <= Self.maximumByteCount else {
            throw TPMStructureError(
                .tooLarge, "subjectAltName is \(der.count) bytes; at most \(Self.maximumByteCount) are accepted")
        }
        func fail(_ why: String) -> TPMStructureError { TPMStructureError(.invalidDER, "subjectAltName: \(why)") }
        do {
            let root = try DER.parse(der)
            guard root.identifier == .sequence, case .constructed(let generalNames) = root.content else {
                throw fail("not a GeneralNames SEQUENCE")
            }
            var names = generalNames.makeIterator()
            guard let general = names.next(), names.next() == nil else {
                throw fail("must hold exactly one GeneralName, the directoryName")
            }
            // directoryName [4] Name: explicit, since Name is a CHOICE.
            guard general.identifier == ASN1Identifier(tagWithNumber: 4, tagClass: .contextSpecific),
                case .constructed(let wrapped) = general.content
            else {
                throw fail("its GeneralName is not a directoryName [4]")
            }
            var inner = wrapped.makeIterator()
            guard let name = inner.next(), inner.next() == nil, name.identifier == .sequence,
                case .constructed(let rdns) = name.content
            else {
                throw fail("the directoryName is not one RDNSequence")
            }
            var values: [Attribute: String] = [:]
            var order: [Attribute] = []
            var rdnCount = 0
            var largestRDN = 0
            for rdn in rdns {
                rdnCount += 1
                guard rdnCount <= 3 else { throw fail("the Name has more than three RDNs") }
                var inThisRDN = 0
                // DER.lazySet checks the SET OF order (X.690 §11.6) before yielding anything.
                for element in try DER.lazySet(of: AttributeTypeAndValue.self, identifier: .set, rootNode: rdn) {
                    let atv = try element.get()
                    inThisRDN += 1
                    guard order.count < 3 else { throw fail("the Name has more than three attributes") }
                    guard let attribute = Attribute.allCases.first(where: { atv.oid.elementsEqual($0.oidContents) }) else {
                        throw fail("attribute \(Self.dotted(atv.oid)) is not a TPM device attribute")
                    }
                    guard values[attribute] == nil else { throw fail("\(attribute.name) appears twice") }
                    values[attribute] = try Self.value(atv.value, attribute)
                    order.append(attribute)
                }
                guard inThisRDN > 0 else { throw fail("an RDN is empty") }
                largestRDN = max(largestRDN, inThisRDN)
            }
            guard let manufacturer = values[.manufacturer], let model = values[.model], let version = values[.version]
            else {
                let missing = Attribute.allCases.filter { values[$0] == nil }.map(\.name).joined(separator: ", ")
                throw fail("missing \(missing)")
            }
            switch (rdnCount, largestRDN) {
            case (3, 1): encoding = .attributePerRDN
            case (1, 3): encoding = .multiValuedRDN
            default: throw fail("the three attributes are split over \(rdnCount) RDNs; one RDN each, or all in one")
            }
            self.manufacturer = manufacturer
            self.model = model
            self.version = version
            self.order = order
        } catch let e as TPMStructureError {
            throw e
        } catch {
            throw fail("\(error)")
        }
    }

    private static func value(_ node: ASN1Node, _ attribute: Attribute) throws(TPMStructureError) -> String {
        guard node.identifier == .utf8String, case .primitive(let bytes) = node.content else {
            throw TPMStructureError(.invalidDER, "subjectAltName: \(attribute.name) is not a UTF8String")
        }
        guard !bytes.isEmpty, bytes.count <= maximumValueByteCount else {
            throw TPMStructureError(
                .invalidDER, "subjectAltName: \(attribute.name) is \(bytes.count) bytes; 1 to \(maximumValueByteCount) are accepted")
        }
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw TPMStructureError(.invalidDER, "subjectAltName: \(attribute.name) is not valid UTF-8")
        }
        return s
    }

    /// Dotted form of OID contents, for messages (at most the first 16 arcs).
    static func dotted(_ contents: ArraySlice<UInt8>) -> String {
        var arcs: [UInt64] = []
        var current: UInt64 = 0
        for byte in contents.prefix(64) {
            current = current << 7 | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 {
                if arcs.isEmpty {
                    arcs = current < 80 ? [current / 40, current % 40] : [2, current - 80]
                } else {
                    arcs.append(current)
                }
                current = 0
                if arcs.count >= 16 { break }
            }
        }
        return arcs.isEmpty ? "(empty)" : arcs.map(String.init).joined(separator: ".")
    }
}

/// AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY } (RFC 5280 §4.1.2.4).
struct AttributeTypeAndValue: DERParseable {
    /// The OID's contents (compared as bytes; no arcs are decoded).
    let oid: ArraySlice<UInt8>
    let value: ASN1Node

    init(derEncoded node: ASN1Node) throws {
        (oid, value) = try DER.sequence(node, identifier: .sequence) { nodes in
            guard let type = nodes.next(), type.identifier == .objectIdentifier, case .primitive(let oid) = type.content,
                let value = nodes.next()
            else {
                throw ASN1Error.invalidASN1Object(reason: "AttributeTypeAndValue is not an OID and a value")
            }
            return (oid, value)
        }
    }
}
