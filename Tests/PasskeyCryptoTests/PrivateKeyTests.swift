import PasskeyCrypto
import Testing

@Suite struct PrivateKeyTests {
    static let cases: [(String, SignatureScheme)] = [
        ("p256", .ecdsa(.sha256)), ("p384", .ecdsa(.sha384)), ("p521", .ecdsa(.sha512)), ("k1", .ecdsa(.sha256)),
        ("rsa", .rsaPKCS1v15(.sha256)), ("ed25519", .eddsa), ("ed448", .eddsa),
    ]

    static func key(_ name: String) throws -> PrivateKey {
        switch name {
        case "p256": try .generateEC(.p256)
        case "p384": try .generateEC(.p384)
        case "p521": try .generateEC(.p521)
        case "k1": try .generateEC(.secp256k1)
        case "rsa": Fixtures.rsaA
        case "ed25519": try .generateEdwards(.ed25519)
        default: try .generateEdwards(.ed448)
        }
    }

    @Test(arguments: cases)
    func pemRoundTrip(name: String, scheme: SignatureScheme) throws {
        let key = try Self.key(name)
        let pem = key.pkcs8PEM()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let reloaded = try PrivateKey.fromPEM(pem)
        #expect(reloaded.publicComponents == key.publicComponents)
        #expect(reloaded.publicKey.subjectPublicKeyInfoDER() == key.publicKey.subjectPublicKeyInfoDER())
        let message = Message()
        let signature = try reloaded.sign(message.joined, scheme: scheme)
        #expect(SignatureVerifier().verify(signature, message, key: key.publicKey, scheme: scheme) == .valid)
    }

    @Test func badPEM() {
        #expect(throws: CryptoError.self) { try PrivateKey.fromPEM("") }
        #expect(throws: CryptoError.self) { try PrivateKey.fromPEM("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") }
        let pem = Fixtures.rsaA.pkcs8PEM()
        #expect(throws: CryptoError.self) { try PrivateKey.fromPEM(String(pem.prefix(100)) + String(pem.suffix(60))) }
    }

    @Test func componentsMatchKinds() throws {
        for curve in ECCurve.allCases {
            let key = try PrivateKey.generateEC(curve)
            guard case .ec(let c, let x, let y) = key.publicComponents else {
                Issue.record("not EC")
                continue
            }
            #expect(c == curve)
            #expect(x.count == curve.coordinateByteCount && y.count == curve.coordinateByteCount)
            #expect(try PublicKey.ec(curve: curve, x: x, y: y).subjectPublicKeyInfoDER() == key.publicKey.subjectPublicKeyInfoDER())
        }
        for curve in EdwardsCurve.allCases {
            let key = try PrivateKey.generateEdwards(curve)
            guard case .edwards(let c, let raw) = key.publicComponents else {
                Issue.record("not Edwards")
                continue
            }
            #expect(c == curve && raw.count == curve.publicKeyByteCount)
        }
        #expect(throws: CryptoError.self) { try PrivateKey.generateRSA(bits: 100) }
    }

    @Test func schemeMustFitTheKey() throws {
        let ec = try PrivateKey.generateEC(.p256)
        let ed = try PrivateKey.generateEdwards(.ed25519)
        let error = #expect(throws: CryptoError.self) { try ec.sign([1], scheme: .rsaPSS(.sha256)) }
        #expect(error?.code == .unsupported)
        #expect(throws: CryptoError.self) { try ed.sign([1], scheme: .ecdsa(.sha256)) }
        #expect(throws: CryptoError.self) { try Fixtures.rsaA.sign([1], scheme: .eddsa) }
    }
}
