// Fuzz target `jws`: CompactJWS(_:) on the input, then SafetyNetPayload(json:) on its payload, the subjectAltName and
// ECDSA helpers on its parts, and the strict standard-base64 decoder on the input itself. Invariants for an accepted
// JWS: exactly two dots; each part is the canonical base64url of what was decoded (re-encoding gives the input back);
// signingInput is the input up to the last dot; 1–8 non-empty certificates; alg is not "none"; sizes within limits.
// Standard base64: whatever decodes re-encodes to the same text (one spelling per byte string).
import PasskeyCrypto
import PasskeyAttestationData
import PasskeyJSON

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    withInput(data, size) { input in
        let bytes = Array(input)
        if let decoded = Base64.decode(input) {
            guard Array(Base64.encode(decoded).utf8) == bytes else {
                fuzzFail("standard base64 accepted a non-canonical spelling")
            }
        }
        _ = try? CompactJWS.dnsNames(subjectAltName: bytes)
        guard let jws = try? CompactJWS(bytes) else { return }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, bytes.count <= CompactJWS.maximumBytes else { fuzzFail("accepted a JWS without three parts") }
        guard Array(Base64URL.encode(jws.header).utf8) == Array(parts[0]),
            Array(Base64URL.encode(jws.payload).utf8) == Array(parts[1]),
            Array(Base64URL.encode(jws.signature).utf8) == Array(parts[2])
        else { fuzzFail("a JWS part is not the canonical encoding of what was decoded") }
        guard jws.signingInput == Array(bytes[..<(parts[0].count + 1 + parts[1].count)]) else {
            fuzzFail("signingInput is not the first two parts")
        }
        guard (1...CompactJWS.maximumCertificates).contains(jws.certificates.count),
            jws.certificates.allSatisfy({ !$0.isEmpty }), !jws.algorithm.isEmpty, jws.algorithm != "none",
            jws.signature.count <= CompactJWS.maximumSignatureBytes
        else { fuzzFail("accepted JWS header values are out of bounds") }
        for c in jws.certificates where Base64.decode(Base64.encode(c)) != c {
            fuzzFail("standard base64 does not round-trip a certificate")
        }
        if let p = try? SafetyNetPayload(json: jws.payload), let nonce = p.nonce,
            nonce.utf8.count > SafetyNetPayload.maximumNonceCharacters
        {
            fuzzFail("a nonce over the limit was kept")
        }
        for n in [32, 48, 66] {
            if let der = ECDSASignature.der(raw: jws.signature, coordinateBytes: n) {
                guard jws.signature.count == 2 * n, der.first == 0x30 else { fuzzFail("ECDSA DER conversion") }
            }
        }
    }
    return 0
}
