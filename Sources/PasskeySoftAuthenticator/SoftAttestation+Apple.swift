public import PasskeyCrypto
import PasskeyCBOR

/// Knobs for an `apple` attestation; the defaults make a valid one.
public struct AppleAttestationOptions: Sendable {
    /// The nonce to certify; nil: SHA-256(authenticatorData || clientDataHash).
    public var nonce: [UInt8]? = nil
    /// The extension's extnValue as given, instead of SEQUENCE { [1] EXPLICIT OCTET STRING nonce }.
    public var rawNonceExtension: [UInt8]? = nil
    public var omitNonce = false
    /// Certify this key instead of the credential key.
    public var certifiedKey: PublicKey? = nil
    /// Leave x5c out of the statement.
    public var omitX5C = false
    public init() {}

    /// The nonce extension's extnValue for a nonce.
    public static func nonceExtension(_ nonce: [UInt8]) -> [UInt8] {
        SoftDER.sequence([SoftDER.explicit(1, SoftDER.octetString(nonce))])
    }
}

extension SoftAttestation {
    /// `apple` (WebAuthn L3 §8.8): `ca` (the anonymization CA, a root or an intermediate) certifies the credential key
    /// in a leaf carrying the nonce extension 1.2.840.113635.100.8.2.
    public static func apple(ca: TestCA, options: AppleAttestationOptions = AppleAttestationOptions()) -> SoftAttestation {
        .statement(format: "apple") { authenticator, authData, clientDataHash in
            var extensions: [(oid: String, critical: Bool, derValue: [UInt8])] = []
            if !options.omitNonce {
                let nonce = options.nonce ?? SoftHash.sha256(authData + clientDataHash)
                extensions.append(
                    (oid: "1.2.840.113635.100.8.2", critical: false,
                     derValue: options.rawNonceExtension ?? AppleAttestationOptions.nonceExtension(nonce)))
            }
            let leaf = try ca.issue(
                subject: [("CN", "passkeyd test credential"), ("OU", "AAA Certification"), ("O", "passkeyd tests")],
                publicKey: options.certifiedKey ?? authenticator.privateKey.publicKey, isCA: false, extensions: extensions)
            var w = CBORWriter()
            if options.omitX5C {
                w.beginMap(0)
                return w.bytes
            }
            w.beginMap(1)
            let chain = [leaf] + ca.chainAboveLeaf
            w.writeText("x5c"); w.beginArray(chain.count)
            for c in chain { w.writeBytes(c.derBytes) }
            return w.bytes
        }
    }
}
