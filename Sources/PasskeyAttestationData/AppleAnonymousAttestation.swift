import SwiftASN1

/// The nonce extension of an `apple` attestation certificate (WebAuthn L3 §8.8, OID 1.2.840.113635.100.8.2).
///
/// The spec says only that credCert carries the nonce "as a certificate extension"; the value Apple's anonymous CA
/// writes (and every published verifier reads) is
///
/// ```
/// SEQUENCE {
///     [1] EXPLICIT OCTET STRING   -- nonce = SHA-256(authenticatorData || clientDataHash)
/// }
/// ```
///
/// The spec does not spell out the ASN.1 and no Apple page found here does either (looked up for this code): the shape
/// above is what Apple's certificates carry as the published verifiers read it (e.g. webauthn-ruby's
/// `attestation_statement/apple.rb`: the first element of the SEQUENCE, then its one OCTET STRING).
/// Parsed with SwiftASN1's strict DER reader; anything else (more elements, another tag, trailing bytes) is an error.
public enum AppleAnonymousAttestation {
    /// The nonce extension's OID.
    public static let nonceOID = "1.2.840.113635.100.8.2"
    /// A nonce is a SHA-256 digest; more than this is not one.
    public static let maximumNonceBytes = 64

    /// The nonce bytes inside the extension's extnValue contents.
    public static func nonce(fromExtensionValue bytes: [UInt8]) throws(AppleNonceError) -> [UInt8] {
        guard bytes.count <= 256 else {
            throw AppleNonceError("the nonce extension is \(bytes.count) bytes; a nonce needs under 256")
        }
        let root: ASN1Node
        do {
            root = try DER.parse(bytes)
        } catch {
            throw AppleNonceError("the nonce extension is not DER: \(error)")
        }
        guard root.identifier == .sequence, case let .constructed(children) = root.content else {
            throw AppleNonceError("the nonce extension is not a SEQUENCE")
        }
        var items = children.makeIterator()
        guard let tagged = items.next(), items.next() == nil else {
            throw AppleNonceError("the nonce extension's SEQUENCE does not hold exactly one element")
        }
        guard tagged.identifier == ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific),
            case let .constructed(inner) = tagged.content
        else {
            throw AppleNonceError("the nonce extension's element is not [1] EXPLICIT")
        }
        var values = inner.makeIterator()
        guard let value = values.next(), values.next() == nil else {
            throw AppleNonceError("the nonce extension's [1] does not hold exactly one value")
        }
        let nonce: ArraySlice<UInt8>
        do {
            nonce = try ASN1OctetString(derEncoded: value).bytes
        } catch {
            throw AppleNonceError("the nonce extension's [1] does not hold an OCTET STRING")
        }
        guard !nonce.isEmpty, nonce.count <= maximumNonceBytes else {
            throw AppleNonceError("the nonce is \(nonce.count) bytes, not a digest")
        }
        return Array(nonce)
    }
}

/// Why an Apple nonce extension could not be read.
public struct AppleNonceError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
