import SwiftASN1

/// Readers for the other AIK certificate extensions the `tpm` format checks (WebAuthn L3 §8.3.1).
public enum TPMCertificateExtensions {
    /// tcg-kp-AIKCertificate, 2.23.133.8.3, as OID contents.
    public static let aikCertificatePurpose: [UInt8] = [0x67, 0x81, 0x05, 0x08, 0x03]
    /// The most key purposes read from one extendedKeyUsage; real AIK certificates list one or two.
    public static let maximumKeyPurposes = 64

    /// Whether an extendedKeyUsage extension value (ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId,
    /// RFC 5280 §4.2.1.12) lists `purpose` (OID contents). Throws when the value is not that SEQUENCE of OIDs.
    public static func extendedKeyUsage(_ der: [UInt8], contains purpose: [UInt8]) throws(TPMStructureError) -> Bool {
        guard der.count <= 4096 else {
            throw TPMStructureError(.tooLarge, "extendedKeyUsage is \(der.count) bytes; at most 4096 are accepted")
        }
        let root: ASN1Node
        do {
            root = try DER.parse(der)
        } catch {
            throw TPMStructureError(.invalidDER, "extendedKeyUsage is not DER: \(error)")
        }
        guard root.identifier == .sequence, case .constructed(let purposes) = root.content else {
            throw TPMStructureError(.invalidDER, "extendedKeyUsage is not a SEQUENCE")
        }
        var count = 0
        var found = false
        for node in purposes {
            count += 1
            guard count <= maximumKeyPurposes else {
                throw TPMStructureError(.tooLarge, "extendedKeyUsage lists more than \(maximumKeyPurposes) purposes")
            }
            guard node.identifier == .objectIdentifier, case .primitive(let oid) = node.content, !oid.isEmpty else {
                throw TPMStructureError(.invalidDER, "extendedKeyUsage holds something other than an OID")
            }
            if oid.elementsEqual(purpose) { found = true }
        }
        guard count > 0 else { throw TPMStructureError(.invalidDER, "extendedKeyUsage is empty") }
        return found
    }
}
