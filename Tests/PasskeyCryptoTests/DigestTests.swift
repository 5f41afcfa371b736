import PasskeyCrypto
import Testing

@Suite struct DigestTests {
    let abc = Array("abc".utf8)

    @Test(arguments: [
        (HashAlgorithm.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (.sha384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
        (.sha512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
    ])
    func knownAnswerABC(hash: HashAlgorithm, expected: String) {
        let verifier = SignatureVerifier()
        let out = verifier.digest(hash, abc)
        #expect(out.count == hash.digestByteCount)
        #expect(hexString(out) == expected)
    }

    @Test func sha256IntoBuffer() {
        let verifier = SignatureVerifier()
        var out = [UInt8](repeating: 0, count: 40)
        abc.withUnsafeBytes { input in out.withUnsafeMutableBytes { verifier.sha256(input, into: $0) } }
        #expect(hexString(Array(out[0..<32])) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(out[32...].allSatisfy { $0 == 0 })
        // Empty input.
        let empty = verifier.digest(.sha256, [])
        #expect(hexString(empty) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test(arguments: HashAlgorithm.allCases)
    func partsEqualConcatenation(hash: HashAlgorithm) {
        let verifier = SignatureVerifier()
        let a: [UInt8] = Array(0..<100)
        let b: [UInt8] = Array(100..<133)
        let c: [UInt8] = [9, 9, 9]
        let whole = verifier.digest(hash, a + b + c)
        var two = [UInt8](repeating: 0, count: hash.digestByteCount)
        let ab = a + b
        ab.withUnsafeBytes { abBytes in
            c.withUnsafeBytes { cBytes in
                two.withUnsafeMutableBytes { verifier.digest(hash, abBytes, cBytes, into: $0) }
            }
        }
        var three = [UInt8](repeating: 0, count: hash.digestByteCount)
        a.withUnsafeBytes { aBytes in
            b.withUnsafeBytes { bBytes in
                c.withUnsafeBytes { cBytes in
                    three.withUnsafeMutableBytes { verifier.digest(hash, parts: aBytes, bBytes, cBytes, into: $0) }
                }
            }
        }
        #expect(two == whole)
        #expect(three == whole)
        // Reuse after a different algorithm gives the same answer again.
        _ = verifier.digest(.sha1, a)
        #expect(verifier.digest(hash, a + b + c) == whole)
    }
}
