import SwiftASN1

extension CompactJWS {
    /// Upper bounds on a subjectAltName read for the SafetyNet hostname check.
    public static let maximumSubjectAltNameBytes = 8 * 1024
    public static let maximumSubjectAltNames = 64

    /// The dNSName entries of a subjectAltName extension value (RFC 5280 §4.2.1.6:
    /// `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName`, dNSName `[2] IMPLICIT IA5String`), in order; other
    /// kinds of name are skipped. For the SafetyNet leaf's "issued to attest.android.com" check.
    public static func dnsNames(subjectAltName bytes: [UInt8]) throws(CompactJWSError) -> [String] {
        guard bytes.count <= maximumSubjectAltNameBytes else {
            throw CompactJWSError("the subjectAltName is \(bytes.count) bytes; at most \(maximumSubjectAltNameBytes) are read")
        }
        let root: ASN1Node
        do {
            root = try DER.parse(bytes)
        } catch {
            throw CompactJWSError("the subjectAltName is not DER: \(error)")
        }
        guard root.identifier == .sequence, case let .constructed(names) = root.content else {
            throw CompactJWSError("the subjectAltName is not a SEQUENCE")
        }
        let dnsName = ASN1Identifier(tagWithNumber: 2, tagClass: .contextSpecific)
        var out: [String] = []
        var count = 0
        for name in names {
            count += 1
            guard count <= maximumSubjectAltNames else {
                throw CompactJWSError("the subjectAltName has more than \(maximumSubjectAltNames) names")
            }
            guard name.identifier == dnsName else { continue }
            guard case let .primitive(value) = name.content else {
                throw CompactJWSError("a subjectAltName dNSName is not a primitive IA5String")
            }
            guard value.allSatisfy({ $0 < 0x80 }) else {
                throw CompactJWSError("a subjectAltName dNSName is not ASCII")
            }
            out.append(String(decoding: value, as: UTF8.self))
        }
        guard count >= 1 else { throw CompactJWSError("the subjectAltName is empty") }
        return out
    }
}
