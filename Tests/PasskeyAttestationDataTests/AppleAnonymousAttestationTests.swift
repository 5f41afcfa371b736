import PasskeyAttestationData
import Testing

@Suite struct AppleAnonymousAttestationTests {
    @Test func readsTheNonce() throws {
        let nonce: [UInt8] = Array(100..<132)
        #expect(try AppleAnonymousAttestation.nonce(fromExtensionValue: D.seq(D.tagged(1, D.octets(nonce)))) == nonce)
    }

    @Test func rejectsOtherShapes() {
        let nonce: [UInt8] = Array(0..<32)
        let cases: [[UInt8]] = [
            [],
            D.octets(nonce),
            D.seq(),
            D.seq(D.tagged(2, D.octets(nonce))),
            D.seq(D.tagged(1, D.octets(nonce)), D.null),
            D.seq(D.tagged(1, D.octets(nonce) + D.null)),
            D.seq(D.tagged(1, D.int(1))),
            D.seq(D.tlv([0x81], nonce)),  // [1] IMPLICIT
            D.seq(D.tagged(1, D.octets([]))),
            D.seq(D.tagged(1, D.octets([UInt8](repeating: 1, count: 65)))),
            D.seq(D.tagged(1, D.octets(nonce))) + [0],
        ]
        for (i, bytes) in cases.enumerated() {
            #expect(throws: AppleNonceError.self, "case \(i)") { _ = try AppleAnonymousAttestation.nonce(fromExtensionValue: bytes) }
        }
    }
}
