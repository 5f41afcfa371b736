import PasskeyCrypto

/// Hex decoding for test vectors (panics on bad input: vectors are constants).
func hex(_ string: String) -> [UInt8] {
    let digits = Array(string.utf8.filter { $0 != UInt8(ascii: " ") })
    precondition(digits.count % 2 == 0)
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: preconditionFailure("bad hex")
        }
    }
    return stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
}

func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}

/// `bytes` with the byte at `index` XOR-ed with `mask`.
func flipped(_ bytes: [UInt8], at index: Int, mask: UInt8 = 0x01) -> [UInt8] {
    var copy = bytes
    copy[index] ^= mask
    return copy
}

/// A WebAuthn-shaped message: 37 bytes of "authenticator data" and a 32-byte "client data hash".
struct Message {
    let authenticatorData: [UInt8]
    let clientDataHash: [UInt8]
    var joined: [UInt8] { authenticatorData + clientDataHash }

    init(seed: UInt8 = 1) {
        authenticatorData = (0..<37).map { UInt8(truncatingIfNeeded: Int($0) &* 31 &+ Int(seed)) }
        clientDataHash = (0..<32).map { UInt8(truncatingIfNeeded: Int($0) &* 7 &+ Int(seed) &* 3) }
    }
}

extension SignatureVerifier {
    /// Verifies over part1 || part2 from arrays.
    func verify(_ signature: [UInt8], _ part1: [UInt8], _ part2: [UInt8], key: PublicKey, scheme: SignatureScheme) -> VerificationOutcome {
        signature.withUnsafeBytes { sig in
            part1.withUnsafeBytes { a in
                part2.withUnsafeBytes { b in
                    verify(signature: sig, part1: a, part2: b, key: key, scheme: scheme)
                }
            }
        }
    }

    func verify(_ signature: [UInt8], digest: [UInt8], key: PublicKey, scheme: SignatureScheme) -> VerificationOutcome {
        signature.withUnsafeBytes { sig in
            digest.withUnsafeBytes { verify(signature: sig, digest: $0, key: key, scheme: scheme) }
        }
    }

    func verify(_ signature: [UInt8], _ message: Message, key: PublicKey, scheme: SignatureScheme) -> VerificationOutcome {
        verify(signature, message.authenticatorData, message.clientDataHash, key: key, scheme: scheme)
    }
}

extension VerificationOutcome {
    var isMalformed: Bool {
        if case .malformedSignature = self { return true }
        return false
    }
}

/// Keys that are slow to generate, made once and shared by all tests.
enum Fixtures {
    static let rsaA = try! PrivateKey.generateRSA(bits: 2048)
    static let rsaB = try! PrivateKey.generateRSA(bits: 2048)
    static let rsa1024 = try! PrivateKey.generateRSA(bits: 1024)
}

/// Minimal DER helpers for building and taking apart ECDSA signatures in tests.
enum DER {
    static func length(_ n: Int) -> [UInt8] {
        n < 0x80 ? [UInt8(n)] : [0x81, UInt8(n)]
    }

    /// A minimal positive INTEGER for big-endian magnitude `value`.
    static func integer(_ value: [UInt8]) -> [UInt8] {
        var v = Array(value.drop { $0 == 0 })
        if v.isEmpty { v = [0] }
        if v[0] & 0x80 != 0 { v.insert(0, at: 0) }
        return [0x02] + length(v.count) + v
    }

    static func sequence(_ content: [UInt8]) -> [UInt8] {
        [0x30] + length(content.count) + content
    }

    static func ecdsa(r: [UInt8], s: [UInt8]) -> [UInt8] {
        sequence(integer(r) + integer(s))
    }

    /// (r, s) magnitudes of a well-formed signature.
    static func parseECDSA(_ der: [UInt8]) -> (r: [UInt8], s: [UInt8]) {
        var i = der[1] == 0x81 ? 3 : 2
        func next() -> [UInt8] {
            let len = Int(der[i + 1])
            let value = Array(der[(i + 2)..<(i + 2 + len)])
            i += 2 + len
            return Array(value.drop { $0 == 0 })
        }
        let r = next()
        return (r, next())
    }
}

/// Big-endian a - b (a >= b), result without leading zeros.
func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
    var result = a
    let bPadded = [UInt8](repeating: 0, count: a.count - b.count) + b
    var borrow = 0
    for i in stride(from: a.count - 1, through: 0, by: -1) {
        var d = Int(a[i]) - Int(bPadded[i]) - borrow
        borrow = d < 0 ? 1 : 0
        if d < 0 { d += 256 }
        result[i] = UInt8(d)
    }
    precondition(borrow == 0)
    return Array(result.drop { $0 == 0 })
}

/// Big-endian a + small.
func add(_ a: [UInt8], _ small: UInt8) -> [UInt8] {
    var result = a
    var carry = Int(small)
    for i in stride(from: a.count - 1, through: 0, by: -1) where carry > 0 {
        let v = Int(result[i]) + carry
        result[i] = UInt8(v & 0xFF)
        carry = v >> 8
    }
    return carry > 0 ? [UInt8(carry)] + result : result
}
