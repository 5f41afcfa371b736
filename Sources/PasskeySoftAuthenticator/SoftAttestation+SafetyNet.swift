public import PasskeyCOSE
import PasskeyCrypto
import PasskeyCBOR
import PasskeyJSON

extension TestCA {
    /// A SafetyNet signing identity: a leaf for a new RS256 (RSA-2048) or ES256 key, issued to `hostname` in its
    /// subject CN and (unless `subjectAltNames` is empty) its subjectAltName dNSNames.
    public func issueSafetyNetSigner(
        algorithm: COSEAlgorithm = .rs256, commonName: String? = "attest.android.com",
        subjectAltNames: [String] = ["attest.android.com"]
    ) throws -> AttestationIdentity {
        let key: PrivateKey = algorithm.keyType == .rsa ? try .generateRSA(bits: 2048) : try .generateEC(.p256)
        var extensions: [(oid: String, critical: Bool, derValue: [UInt8])] = []
        if !subjectAltNames.isEmpty {
            let names = subjectAltNames.map { SoftDER.tlv(SoftDER.contextTag(2, constructed: false), Array($0.utf8)) }
            extensions.append((oid: "2.5.29.17", critical: false, derValue: SoftDER.sequence(names)))
        }
        var subject: [(String, String)] = [("C", "US"), ("ST", "California"), ("O", "Google LLC")]
        if let commonName { subject.append(("CN", commonName)) }
        let leaf = try issue(subject: subject, publicKey: key.publicKey, isCA: false, extensions: extensions)
        return AttestationIdentity(key: key, algorithm: algorithm, chain: [leaf] + chainAboveLeaf)
    }
}

/// Knobs for an `android-safetynet` attestation; the defaults make a valid one at `timestampMs`.
public struct SafetyNetAttestationOptions: Sendable {
    /// The payload's timestampMs (tests pin the verifier's time to match; nothing here reads the clock).
    public var timestampMs: Int64
    public var ver = "231013044"
    /// The payload's nonce; nil: base64(SHA-256(authenticatorData || clientDataHash)).
    public var nonce: String? = nil
    public var omitNonce = false
    /// How the digest is spelled in the nonce (nil: standard base64 with padding, as SafetyNet writes it).
    public var nonceEncoder: (@Sendable ([UInt8]) -> String)? = nil
    /// nil omits the member.
    public var ctsProfileMatch: Bool? = true
    public var basicIntegrity: Bool? = true
    public var omitTimestamp = false
    /// The header's alg (nil: from the identity's algorithm).
    public var headerAlgorithm: String? = nil
    /// Replace the header / payload JSON text as given.
    public var rawHeader: String? = nil
    public var rawPayload: String? = nil
    /// Replace the whole response.
    public var rawResponse: [UInt8]? = nil
    /// Flip a bit of the signature.
    public var corruptSignature = false
    /// Certificates for the header's x5c (nil: the identity's chain).
    public var x5c: [[UInt8]]? = nil

    public init(timestampMs: Int64) { self.timestampMs = timestampMs }

    /// Standard base64 with padding (RFC 4648 §4), as JOSE's x5c and SafetyNet's nonce use.
    public static func standardBase64(_ bytes: [UInt8]) -> String {
        var s = String(Base64URL.encode(bytes).map { c -> Character in c == "-" ? "+" : c == "_" ? "/" : c })
        while s.utf8.count % 4 != 0 { s += "=" }
        return s
    }
}

extension SoftAttestation {
    /// `android-safetynet` (WebAuthn L3 §8.5): a compact JWS signed by `signer` (see `TestCA.issueSafetyNetSigner`),
    /// whose payload nonce is base64(SHA-256(authenticatorData || clientDataHash)).
    public static func safetyNet(signer: AttestationIdentity, options: SafetyNetAttestationOptions) -> SoftAttestation {
        .statement(format: "android-safetynet") { _, authData, clientDataHash in
            let response = try options.rawResponse ?? Self.safetyNetJWS(
                signer: signer, options: options, nonce: SoftHash.sha256(authData + clientDataHash))
            var w = CBORWriter()
            w.beginMap(2)
            w.writeText("ver"); w.writeText(options.ver)
            w.writeText("response"); w.writeBytes(response)
            return w.bytes
        }
    }

    /// The JWS text for `nonce` (the SHA-256 digest; encoded here).
    public static func safetyNetJWS(signer: AttestationIdentity, options: SafetyNetAttestationOptions, nonce: [UInt8]) throws
        -> [UInt8]
    {
        let alg = options.headerAlgorithm ?? (signer.algorithm.keyType == .rsa ? "RS256" : "ES256")
        var header = JSONWriter()
        header.beginObject()
        header.member("alg", alg)
        header.key("x5c")
        header.beginArray()
        for der in options.x5c ?? signer.chain.map(\.derBytes) { header.string(SafetyNetAttestationOptions.standardBase64(der)) }
        header.endArray()
        header.endObject()
        var payload = JSONWriter()
        payload.beginObject()
        if !options.omitNonce {
            payload.member("nonce", options.nonce ?? (options.nonceEncoder ?? SafetyNetAttestationOptions.standardBase64)(nonce))
        }
        if !options.omitTimestamp { payload.member("timestampMs", options.timestampMs) }
        payload.member("apkPackageName", "com.google.android.gms")
        payload.member("apkDigestSha256", SafetyNetAttestationOptions.standardBase64([UInt8](repeating: 7, count: 32)))
        if let cts = options.ctsProfileMatch { payload.member("ctsProfileMatch", cts) }
        payload.key("apkCertificateDigestSha256")
        payload.beginArray()
        payload.string(SafetyNetAttestationOptions.standardBase64([UInt8](repeating: 9, count: 32)))
        payload.endArray()
        if let basic = options.basicIntegrity { payload.member("basicIntegrity", basic) }
        payload.member("evaluationType", "BASIC,HARDWARE_BACKED")
        payload.endObject()
        let signingInput = Base64URL.encode(Array((options.rawHeader ?? header.text).utf8)) + "."
            + Base64URL.encode(Array((options.rawPayload ?? payload.text).utf8))
        var sig: [UInt8]
        if signer.algorithm.keyType == .rsa {
            sig = try signer.key.sign(Array(signingInput.utf8), scheme: signer.algorithm.signatureScheme!)
        } else {
            let der = try signer.key.sign(Array(signingInput.utf8), scheme: signer.algorithm.signatureScheme!)
            guard let raw = SoftDER.rawECDSASignature(der: der, coordinateBytes: 32) else {
                throw SoftError("cannot convert the ECDSA signature to JWS form")
            }
            sig = raw
        }
        if options.corruptSignature { sig[sig.count / 2] ^= 0x01 }
        return Array((signingInput + "." + Base64URL.encode(sig)).utf8)
    }
}
