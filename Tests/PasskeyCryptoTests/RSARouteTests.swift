import PasskeyCrypto
import Testing

/// Fixed vectors (made once with the openssl 3.0 command line, `pkeyutl -sign` over SHA-256("passkeyd RSA route
/// vector") with one RSA-2048 key) that pin what RS256/PS256 verification accepts, whichever OpenSSL route runs it:
/// PS256 means MGF1-SHA-256 and a salt of exactly 32 bytes; RS256 means a DigestInfo naming SHA-256.
@Suite struct RSARouteTests {
    static let modulus = hex("9d40c5bbbba45e4d8ec732e42fb4bea16f0dbd0b6110fa0d48ca315e9aefbb5807af1e9df2b4ab62b71d617211f85a70c791d2c79b50a08472f1f36a4952b2c7f1089347379736932b043d77077f1b17ec4113e6b1fdfb23c4fbc85408659cac4bfe0eb5f209b58a1ee13c15e8a3cd4046594ca44a1659aaf7691744506dc247dc4781a327b5033e4e303a46106df6a62e0a34f406940121f7e2fd772aded50bada08f736827fa0dc4b1c641aa425d2149d3ff22f62df58427866a00f00b1bd6f19b01f8f61fb7091c187a99af8145393cecf2b84021c2c3ab4e09ac33b93da67aa8705398bc8aa4d7bb2762ea59b260af66999a5d9439dabbaf41fbfe4f2377")
    static let exponent: [UInt8] = [0x01, 0x00, 0x01]
    static let message = Array("passkeyd RSA route vector".utf8)
    /// PSS, MGF1-SHA-256, salt 32: the only PS256 form.
    static let pssSalt32 = hex("96725de638bcda862d34549d06c927b597063eea8ad7bf784d9f3c9169fa1c4c3e36388efcbc823747ed6666863503212dcfbefcc4369dfc5e9ea907ab68f78224637b6a58e4780d860f642deb1fb283957b8e92e173747b81e4cd26386170bb8b6c07c6a06805796e0cd77264f0c5c42e0b508bde0beb3f91d679b529f73a1049e863dde37669ce1566da68076ac0a2abfbfe33e293407848d81d3ac9b30ad0651238f7ab224fbb1384dc331bd9075cb4b781ff2404bd71de56a7af0c7fffea0596703408dec33e9b692620977e120246c3ee8f603594d0b1db7af8d36a363bcefa0bf605bfe2373742e9c693f46ebc81241b1bb808f338b04ff23ec3cb8010")
    /// PSS, MGF1-SHA-256, salt 0.
    static let pssSalt0 = hex("2cf0cda0d38a170a25b566ea5c98850952509dc86bb6395eeb46435fa97eeea7c6bea413cf7398bb5be1608a3b9cb41bd6ee1fae452ed0ab91e96630aa8114c77b3686bcf4ecad3d2e94a3dd603d766138ca8478a7256a4b8691b3d5601198cfd6fe511fb0a8c6ac1a5d762dcd171b5bda1c178baed967f1536d58421700767e0762372125cbc37098d483cd465b07b3afe04042d1438680d73f41b2f89a473840c9c40cc948a7fa811ca15abadcc9d3093ff5535474921f37a06dd54d3bc7963fadb8ef0b8926586d0763f2a5223cac6f336e228eab5e5c6a12a6d691654b190ead39697fc886ace57512c7ec03da048bcff8e4480d709e0e1d724c50d3458e")
    /// PSS, MGF1-SHA-256, salt 64 (what a verifier that "auto"-detects the salt would accept).
    static let pssSalt64 = hex("4c3aa4967ddc50415595f24abac59b9eae4fee0fbd5e592a4f0b31a2b6dcff73dfc83a6b0fd335d3ad375b9d7eddfe0528bb9f592057d0a8ce24f12b9e6dc3b9651b563fd8ed5f01f15cb5d7e5f2bff855aab73f6bf356cb3bc9c5d0d4910990cd05d23e41fcb01f795251fc8d40c98d97c7a2acc0765dcd70d9cf15552474526d4181d2b5d60d435bf4e63e6e4df85fe61f1c764b9d7e253e0d5100ae1309dcc5e03a0d54ced8d4d864276adee64206877b65a7b6a82b4cebfcf472148c841c710a5eb3b5e90af712d2edf0418357a42181f4b94305c2b09dcfb1753e968cf264ca297640acf81bcaaf18d6dceb882a626d627c23f5674f7831cefed06a5be6")
    /// PSS, salt 32, but MGF1 over SHA-1.
    static let pssMGF1SHA1 = hex("1d2b39edeadbf4aaefc9cedad9f8f38f9ead21d997620a3f792469ac58aee1b817dd053a376902d19c2cd1ac699d383805a8433ee6f21be77c87ffd31c75d2e370054a361634547ad57d2d012baf2254c5dc117f7fe0b93caaf4abdb217d204f7be728a365091b7b4fb0b8f10b594969ddd1000b66b8d74d2a85604193c3453484314d2099f08200fb20bc586cbc712439e63ff7012b6955a737b027a3284f222c0f4358b4745b01843c8ff87ec00fafebdeaec9bff4d4bb3b57606cec9ad0a192dca59507e3480102887ced406ce50e159d3ee2d1e0b4ad387f9051a544b8e7249ca46a4af0eb9140556a7992ae2ac8acc4290acd6cda5eec8633b47f646f6b")
    /// PKCS#1 v1.5 with DigestInfo(SHA-256, H).
    static let pkcs1SHA256 = hex("3da589abd586e28bf8b45bac4587aefe3c64fc7f07a959c9ed4ea3e5bae4502ef87436028feecbc539b714a7b4e3b6be063a9322ed65355701ea81a0caa0b8b60c600d7a2068ffa64799532e00f2b9105bf06aabdf9fe2664a33d4320910047f4f9e746e5ef7f591df0411363e180ef51a7d64a5a2c1bf9f2395d5f6b60557f19227fbbfd5bd69e77746c30fa2beff58fd14503be8fbf89aad12af8cb0ce47f1b4fee504d1248a5d95456bb128c200bf9617aa0a1a65cbdf5c7156523a6b07df23c7c983594b612333e6856c2cf79d186bb245b8f1305331fc3930ebc0f00ddd8708506f076083664da196e18b07fe57fec8e6ff94288409a3587f14e6c1c431")
    /// PKCS#1 v1.5 with DigestInfo(SHA3-256, H): the same 32 bytes H under another hash's OID.
    static let pkcs1SHA3OID = hex("402c2aa634c6538142cfaaef143dce6066896d2e109152d3a79cc3afe60c6bf0b895f6e76f719e438706d1a4dd4be2890787dc69e04a3c667257fdf2841af5e1208f6d0dcbc098fd525056c3dbdec5e9ce8691edf92ae56faab0922f5f3ddeb9fd82cf57d186e9f585348c02c182618a4d5b09c75fec64797c3412370c974c7c362d072511c4cefc433ec8283bd388b6db30c1cd2859efb0dead122999689702a64cbce7ea5c5576b9e37416f93ae4736b56fbecf747c68dbcb7861a8c6eeb1babe619ec2a49c6e297b22670db308c7d0f1a728fe5f66469784ea6fa0c1d586855ef307eafae97c522cbb79310c40500791c3870e5db81191ad95ba575964307")
    /// PKCS#1 v1.5 type 1 padding around the bare 32-byte H (no DigestInfo at all).
    static let pkcs1NoDigestInfo = hex("682357121949e3d21da9e8ce98d55024116f0a04858a5cfd70bdbee0d55745fc7e9c8a8aa9a6a409c310bf759f19c1a24a1025e380057ed400926cec4842a7fa884260194c10e75ae9df45037a233222e8ff189a4e113c7474f2ee72c75b8c1786e886cf0fc8354720e2a289ff7b685da192d8f99872bae64c26cc73aca73cf630f70765cb7a4a1b67c173aafc30696dc2691dfb3fb7ed56b199565af44b6d171ad07cf90642359fa89aba51b84b47ce09f2e448c24e85262828b7caa1d45e6397cf3bba5e8d153530b9afdbe9a5b3c7e999085b4cd12425edabf08dc7583435e1b11f4dda2ae07387cc8fe6f33b214dd3e203e3903da672b14ccbd26bcd6426")

    static func key() throws -> PublicKey { try PublicKey.rsa(modulus: modulus, exponent: exponent) }

    @Test func ps256AcceptsOnlySalt32WithMGF1SHA256() throws {
        let key = try Self.key()
        let verifier = SignatureVerifier()
        #expect(verifier.verify(signature: Self.pssSalt32, message: Self.message, key: key, scheme: .rsaPSS(.sha256)) == .valid)
        for signature in [Self.pssSalt0, Self.pssSalt64, Self.pssMGF1SHA1] {
            #expect(verifier.verify(signature: signature, message: Self.message, key: key, scheme: .rsaPSS(.sha256)) == .invalidSignature)
        }
        // Still valid after the failures.
        #expect(verifier.verify(signature: Self.pssSalt32, message: Self.message, key: key, scheme: .rsaPSS(.sha256)) == .valid)
    }

    @Test func rs256NeedsTheSHA256DigestInfo() throws {
        let key = try Self.key()
        let verifier = SignatureVerifier()
        #expect(verifier.verify(signature: Self.pkcs1SHA256, message: Self.message, key: key, scheme: .rsaPKCS1v15(.sha256)) == .valid)
        for signature in [Self.pkcs1SHA3OID, Self.pkcs1NoDigestInfo] {
            #expect(verifier.verify(signature: signature, message: Self.message, key: key, scheme: .rsaPKCS1v15(.sha256)) == .invalidSignature)
        }
        // Neither padding passes for the other.
        #expect(verifier.verify(signature: Self.pkcs1SHA256, message: Self.message, key: key, scheme: .rsaPSS(.sha256)) == .invalidSignature)
        #expect(verifier.verify(signature: Self.pssSalt32, message: Self.message, key: key, scheme: .rsaPKCS1v15(.sha256)) == .invalidSignature)
    }

    /// Another key (same size) verifies none of them; a signature of the right length that is >= n is invalid.
    @Test func otherKeyAndOutOfRangeSignature() throws {
        let verifier = SignatureVerifier()
        let other = Fixtures.rsaB.publicKey
        #expect(other.kind == .rsa(bits: 2048))
        #expect(verifier.verify(signature: Self.pkcs1SHA256, message: Self.message, key: other, scheme: .rsaPKCS1v15(.sha256)) == .invalidSignature)
        #expect(verifier.verify(signature: Self.pssSalt32, message: Self.message, key: other, scheme: .rsaPSS(.sha256)) == .invalidSignature)
        let tooLarge = [UInt8](repeating: 0xFF, count: 256)
        #expect(verifier.verify(signature: tooLarge, message: Self.message, key: try Self.key(), scheme: .rsaPKCS1v15(.sha256)) == .invalidSignature)
        #expect(verifier.verify(signature: tooLarge, message: Self.message, key: try Self.key(), scheme: .rsaPSS(.sha256)) == .invalidSignature)
    }

    /// Every hash the schemes name, SHA-1 included (RS1, and PSS over SHA-1 which the EVP route accepted too).
    @Test(arguments: HashAlgorithm.allCases)
    func everyHashBothPaddings(hash: HashAlgorithm) throws {
        let key = Fixtures.rsaA
        let verifier = SignatureVerifier()
        for scheme in [SignatureScheme.rsaPKCS1v15(hash), .rsaPSS(hash)] {
            let signature = try key.sign(Self.message, scheme: scheme)
            #expect(verifier.verify(signature: signature, message: Self.message, key: key.publicKey, scheme: scheme) == .valid)
            #expect(verifier.verify(signature: signature, message: Self.message + [0], key: key.publicKey, scheme: scheme) == .invalidSignature)
            for other in HashAlgorithm.allCases where other != hash {
                let wrong: SignatureScheme = if case .rsaPSS = scheme { .rsaPSS(other) } else { .rsaPKCS1v15(other) }
                #expect(verifier.verify(signature: signature, message: Self.message, key: key.publicKey, scheme: wrong) == .invalidSignature)
            }
        }
    }

    /// Fresh keys (their Montgomery context not yet made: the first verifies race to make it) verified at once from
    /// four tasks, both paddings, good and bad signatures.
    @Test func freshKeysVerifiedConcurrently() async throws {
        let signer = Fixtures.rsaA
        guard case .rsa(let n, let e) = signer.publicComponents else {
            Issue.record("not RSA")
            return
        }
        let schemes: [SignatureScheme] = [.rsaPKCS1v15(.sha256), .rsaPSS(.sha256)]
        let signatures = try schemes.map { try signer.sign(Self.message, scheme: $0) }
        for _ in 0..<8 {
            let key = try PublicKey.rsa(modulus: n, exponent: e)
            let counts = await withTaskGroup(of: (good: Int, bad: Int).self) { group in
                for task in 0..<4 {
                    group.addTask {
                        let verifier = SignatureVerifier()
                        var good = 0
                        var bad = 0
                        for round in 0..<10 {
                            let s = (round + task) % schemes.count
                            if verifier.verify(signature: signatures[s], message: Self.message, key: key, scheme: schemes[s]) == .valid { good += 1 }
                            if verifier.verify(signature: signatures[s], message: Self.message + [1], key: key, scheme: schemes[s]) == .invalidSignature { bad += 1 }
                        }
                        return (good, bad)
                    }
                }
                return await group.reduce(into: [(good: Int, bad: Int)]()) { $0.append($1) }
            }
            #expect(counts.count == 4)
            #expect(counts.allSatisfy { $0.good == 10 && $0.bad == 10 })
        }
    }
}
