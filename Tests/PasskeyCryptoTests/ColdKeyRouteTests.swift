import PasskeyCrypto
import Testing

/// The EC keys are built on a shared per-curve group and verified with ECDSA_verify on their EC_KEY (docs/DESIGN.md,
/// "Cold keys"); these pin what that route must keep from the EVP_PKEY_fromdata route it replaced.
@Suite struct ColdKeyRouteTests {
    /// P-521's field prime is 2^521 - 1, so G.x + p and G.y + p still fit in 66 bytes: congruent to an on-curve point,
    /// but a coordinate >= p, which must be rejected as an encoding error, not reduced.
    @Test func p521CoordinateAboveFieldPrimeIsRejected() throws {
        let gx = hex("00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66")
        let gy = hex("011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650")
        let p = [0x01] + [UInt8](repeating: 0xFF, count: 65)
        #expect(throws: Never.self) { try PublicKey.ec(curve: .p521, x: gx, y: gy) }
        for (x, y) in [(add(gx, p), gy), (gx, add(gy, p))] {
            #expect(x.count == 66 && y.count == 66)
            #expect {
                try PublicKey.ec(curve: .p521, x: x, y: y)
            } throws: { error in
                (error as? CryptoError)?.code == .invalidKey
            }
        }
    }

    /// The EVP_PKEY that shares the EC_KEY writes the same SubjectPublicKeyInfo as the key OpenSSL generated
    /// (named curve, uncompressed point), and reading it back gives a key that verifies the same signatures.
    @Test(arguments: ECCurve.allCases)
    func subjectPublicKeyInfoMatchesTheGeneratedKey(curve: ECCurve) throws {
        let privateKey = try PrivateKey.generateEC(curve)
        guard case .ec(_, let x, let y) = privateKey.publicComponents else { fatalError("not EC") }
        let built = try PublicKey.ec(curve: curve, x: x, y: y)
        let der = built.subjectPublicKeyInfoDER()
        #expect(!der.isEmpty)
        #expect(der == privateKey.publicKey.subjectPublicKeyInfoDER())
        let reread = try PublicKey.subjectPublicKeyInfo(der: der)
        #expect(reread.subjectPublicKeyInfoDER() == der)
        let message = Message(seed: 3)
        let hash: HashAlgorithm = curve == .p384 ? .sha384 : curve == .p521 ? .sha512 : .sha256
        let signature = try privateKey.sign(message.joined, scheme: .ecdsa(hash))
        let verifier = SignatureVerifier()
        #expect(verifier.verify(signature, message, key: built, scheme: .ecdsa(hash)) == .valid)
        #expect(verifier.verify(signature, message, key: reread, scheme: .ecdsa(hash)) == .valid)
        #expect(verifier.verify(signature, Message(seed: 4), key: built, scheme: .ecdsa(hash)) == .invalidSignature)
    }

    /// The raw-verify ceiling (EVP_PKEY_verify through the provider, on the EVP_PKEY that shares the EC_KEY) and the
    /// direct ECDSA_verify agree on every key: valid signatures pass, another key's signatures fail.
    @Test func evpCeilingAndDirectRouteAgree() throws {
        let keys = try (0..<4).map { _ in try PrivateKey.generateEC(.p256) }
        let verifier = SignatureVerifier()
        let digest = verifier.digest(.sha256, Message(seed: 9).joined)
        let signatures = try keys.map { try $0.sign(Message(seed: 9).joined, scheme: .ecdsa(.sha256)) }
        let good = RawBaseline.ecdsaVerifyRate(keys: keys.map(\.publicKey), digests: keys.map { _ in digest },
                                              signatures: signatures, seconds: 0)
        #expect(good.failures == 0)
        let crossed = RawBaseline.ecdsaVerifyRate(keys: keys.map(\.publicKey), digests: keys.map { _ in digest },
                                                 signatures: Array(signatures.dropFirst() + signatures.prefix(1)), seconds: 0)
        #expect(crossed.failures == keys.count)
        for (i, key) in keys.enumerated() {
            let other = signatures[(i + 1) % keys.count]
            #expect(digest.withUnsafeBytes { d in
                signatures[i].withUnsafeBytes { verifier.verify(signature: $0, digest: d, key: key.publicKey, scheme: .ecdsa(.sha256)) }
            } == .valid)
            #expect(digest.withUnsafeBytes { d in
                other.withUnsafeBytes { verifier.verify(signature: $0, digest: d, key: key.publicKey, scheme: .ecdsa(.sha256)) }
            } == .invalidSignature)
        }
    }

    /// Keys of every curve built concurrently (all reading the shared groups) and each verified from several tasks.
    @Test func buildAndVerifyConcurrentlyOnSharedGroups() async throws {
        struct Input: Sendable {
            let curve: ECCurve
            let x: [UInt8], y: [UInt8]
            let hash: HashAlgorithm
            let signature: [UInt8]
        }
        var inputs: [Input] = []
        for curve in ECCurve.allCases {
            let key = try PrivateKey.generateEC(curve)
            guard case .ec(_, let x, let y) = key.publicComponents else { fatalError("not EC") }
            let hash: HashAlgorithm = curve == .p384 ? .sha384 : curve == .p521 ? .sha512 : .sha256
            inputs.append(Input(curve: curve, x: x, y: y, hash: hash,
                                signature: try key.sign(Message(seed: 1).joined, scheme: .ecdsa(hash))))
        }
        let shared = try inputs.map { try PublicKey.ec(curve: $0.curve, x: $0.x, y: $0.y) }
        let rounds = 20
        let frozen = inputs
        let counts = await withTaskGroup(of: Int.self) { group in
            for task in 0..<6 {
                group.addTask {
                    let verifier = SignatureVerifier()
                    var good = 0
                    for round in 0..<rounds {
                        let i = (round + task) % frozen.count
                        let input = frozen[i]
                        // A freshly built key (cold) and the shared one (hot) must both verify; the next message must not.
                        guard let fresh = try? PublicKey.ec(curve: input.curve, x: input.x, y: input.y) else { continue }
                        if verifier.verify(input.signature, Message(seed: 1), key: fresh, scheme: .ecdsa(input.hash)) == .valid,
                           verifier.verify(input.signature, Message(seed: 1), key: shared[i], scheme: .ecdsa(input.hash)) == .valid,
                           verifier.verify(input.signature, Message(seed: 2), key: shared[i], scheme: .ecdsa(input.hash)) == .invalidSignature {
                            good += 1
                        }
                    }
                    return good
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == [Int](repeating: rounds, count: 6))
    }
}

/// a + b for big-endian numbers of the same length (the carry out of the top byte is dropped).
private func add(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
    precondition(a.count == b.count)
    var out = [UInt8](repeating: 0, count: a.count)
    var carry = 0
    for i in stride(from: a.count - 1, through: 0, by: -1) {
        let s = Int(a[i]) + Int(b[i]) + carry
        out[i] = UInt8(s & 0xFF)
        carry = s >> 8
    }
    return out
}
