// Shared by every harness in Fuzz/ (compiled into each fuzzer binary by scripts/fuzz.sh) and by the seed generator.
import PasskeyCBOR
import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn

#if canImport(Glibc)
import Glibc
#endif

/// The fixed relying party and challenge every harness and every seed uses.
enum Fixture {
    static let rpID = "example.com"
    static let origin = "https://example.com"
    static let challenge: [UInt8] = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }

    static func relyingParty(_ policy: Policy = Policy()) -> RelyingParty {
        do {
            return try RelyingParty(id: rpID, origins: [origin], policy: policy)
        } catch {
            fuzzFail("fixture relying party: \(error)")
        }
    }

    /// A policy that accepts every algorithm (RS1 too) so the fuzzer reaches every key kind.
    static var permissivePolicy: Policy {
        var p = Policy()
        p.allowedAlgorithms = Set(COSEAlgorithm.allCases)
        return p
    }
}

/// Stops the run with a message libFuzzer keeps next to the crash input.
func fuzzFail(_ message: String) -> Never {
    var line = "fuzz invariant violated: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    abort()
}

/// The fuzz input as a buffer that owns a copy (so ASan sees overreads past exactly `size` bytes).
@inline(__always)
func withInput<R>(_ data: UnsafePointer<UInt8>, _ size: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 1)
    defer { copy.deallocate() }
    if size > 0 { copy.copyMemory(from: UnsafeRawBufferPointer(start: data, count: size)) }
    return body(UnsafeRawBufferPointer(copy))
}

/// A minimal protobuf writer (wire types 0 and 2 only) for the `frame` seeds and harness.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func uint(_ field: Int, _ v: UInt64) {
        varint(UInt64(field << 3))
        varint(v)
    }

    mutating func sint(_ field: Int, _ v: Int64) {
        uint(field, UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    mutating func data(_ field: Int, _ d: [UInt8]) {
        varint(UInt64(field << 3 | 2))
        varint(UInt64(d.count))
        bytes += d
    }

    mutating func string(_ field: Int, _ s: String) { data(field, Array(s.utf8)) }

    mutating func message(_ field: Int, _ m: ProtoWriter) { data(field, m.bytes) }

    /// The 5-byte frame header + this message.
    var frame: [UInt8] {
        let n = bytes.count
        return [0, UInt8(truncatingIfNeeded: n >> 24), UInt8(truncatingIfNeeded: n >> 16),
                UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)] + bytes
    }
}

/// A valid ES256 credential and one valid assertion for it.
struct ValidAssertion {
    let authenticator: SoftAuthenticator
    let publicKey: [UInt8]
    let assertion: SoftAssertion

    static func make(algorithm: COSEAlgorithm = .es256) -> ValidAssertion {
        do {
            let a = try SoftAuthenticator(algorithm: algorithm, credentialID: Array(repeating: 0xC1, count: 16))
            let s = try a.assert(rpId: Fixture.rpID, origin: Fixture.origin, challenge: Fixture.challenge)
            return ValidAssertion(authenticator: a, publicKey: a.cosePublicKey, assertion: s)
        } catch {
            fuzzFail("soft authenticator: \(error)")
        }
    }
}

extension WebAuthnVerifier {
    /// Verifies an assertion against the fixture RP; the error, or nil when accepted.
    func check(
        authenticatorData: [UInt8], clientDataJSON: [UInt8], signature: [UInt8], publicKey: [UInt8],
        relyingParty: RelyingParty
    ) -> WebAuthnError? {
        authenticatorData.withUnsafeBytes { ad in
            clientDataJSON.withUnsafeBytes { cd in
                signature.withUnsafeBytes { sig in
                    publicKey.withUnsafeBytes { key in
                        Fixture.challenge.withUnsafeBytes { ch in
                            do throws(WebAuthnError) {
                                _ = try verifyAuthentication(
                                    AssertionView(authenticatorData: ad, clientDataJSON: cd, signature: sig),
                                    challenge: ch, publicKey: key, storedSignCount: 0, relyingParty: relyingParty)
                                return nil
                            } catch {
                                return error
                            }
                        }
                    }
                }
            }
        }
    }
}
