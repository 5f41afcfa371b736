import PasskeyCrypto
import Testing

@Suite struct ConcurrencyTests {
    /// Four tasks share one PublicKey (and its context pool), each with its own verifier.
    @Test(arguments: ["p256", "rsa", "ed25519"])
    func sharedKeyOwnVerifiers(kind: String) async throws {
        let (key, scheme): (PrivateKey, SignatureScheme) = switch kind {
        case "p256": (try .generateEC(.p256), .ecdsa(.sha256))
        case "rsa": (Fixtures.rsaA, .rsaPSS(.sha256))
        default: (try .generateEdwards(.ed25519), .eddsa)
        }
        let messages = (0..<8).map { Message(seed: UInt8($0)) }
        let signatures = try messages.map { try key.sign($0.joined, scheme: scheme) }
        let shared = key.publicKey
        let rounds = 50

        let results = await withTaskGroup(of: (good: Int, bad: Int).self) { group in
            for task in 0..<4 {
                group.addTask {
                    let verifier = SignatureVerifier()
                    var good = 0
                    var bad = 0
                    for round in 0..<rounds {
                        let i = (round + task) % messages.count
                        if verifier.verify(signatures[i], messages[i], key: shared, scheme: scheme) == .valid { good += 1 }
                        let j = (i + 1) % messages.count
                        if verifier.verify(signatures[i], messages[j], key: shared, scheme: scheme) == .invalidSignature { bad += 1 }
                    }
                    return (good, bad)
                }
            }
            return await group.reduce(into: [(good: Int, bad: Int)]()) { $0.append($1) }
        }
        #expect(results.count == 4)
        for result in results {
            #expect(result.good == rounds)
            #expect(result.bad == rounds)
        }
    }
}
