import PasskeyCrypto
import Testing

@Suite struct RawBaselineTests {
    @Test func measuresAndCountsFailures() throws {
        let verifier = SignatureVerifier()
        var keys = [PublicKey]()
        var digests = [[UInt8]]()
        var signatures = [[UInt8]]()
        for seed in 0..<3 {
            let key = try PrivateKey.generateEC(.p256)
            let message = Message(seed: UInt8(seed))
            keys.append(key.publicKey)
            digests.append(verifier.digest(.sha256, message.joined))
            signatures.append(try key.sign(message.joined, scheme: .ecdsa(.sha256)))
        }
        let good = RawBaseline.ecdsaVerifyRate(keys: keys, digests: digests, signatures: signatures, seconds: 0.2)
        #expect(good.perSecond > 0)
        #expect(good.failures == 0)

        var broken = signatures
        broken[1] = flipped(broken[1], at: broken[1].count - 1)
        let bad = RawBaseline.ecdsaVerifyRate(keys: keys, digests: digests, signatures: broken, seconds: 0.05)
        #expect(bad.perSecond > 0)
        #expect(bad.failures > 0)
    }
}
