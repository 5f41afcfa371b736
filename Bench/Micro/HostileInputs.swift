// Worst-case inputs next to benign ones of the same size, parsed by the same code: the ratio shows that no parser's
// work grows faster than its input (duplicate-key and duplicate-name checks were quadratic before issue 8).
import PasskeyJSON
import PasskeyCBOR
import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn

#if canImport(Glibc)
    import Glibc
#endif

struct HostileCase {
    let name: String
    let bytes: Int
    let benign: () -> Void
    let hostile: () -> Void
}

/// Mean µs per call of `body`, run for about `seconds` (after one warm-up call).
func microsecondsPerCall(seconds: Double, _ body: () -> Void) -> Double {
    body()
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + .milliseconds(Int(seconds * 1000))
    var n = 0
    repeat {
        body()
        n += 1
    } while clock.now < deadline
    let elapsed = clock.now - start
    return (Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) * 1e-12) / Double(n)
}

/// `n` text keys of `length` bytes that share all but their last 4 bytes; `sorted` puts them in canonical order.
func equalPrefixKeys(_ n: Int, length: Int, sorted: Bool) -> [[UInt8]] {
    let prefix = [UInt8](repeating: UInt8(ascii: "k"), count: length - 4)
    var keys = (0..<n).map { i -> [UInt8] in
        // An odd multiplier permutes 0..<2^24: distinct scrambled values, four ASCII characters of 6 bits each.
        let v = (i &* 2_654_435_761) & 0xFF_FFFF
        return prefix + [18, 12, 6, 0].map { alphabet64[(v >> $0) & 0x3F] }
    }
    if sorted { keys.sort { $0.lexicographicallyPrecedes($1) } }
    return keys
}

func cborMap(_ keys: [[UInt8]], value: (inout CBORWriter) -> Void = { $0.writeNull() }) -> [UInt8] {
    var w = CBORWriter()
    w.beginMap(keys.count)
    for k in keys {
        w.writeHead(.text, UInt64(k.count))
        w.writeRaw(k)
        value(&w)
    }
    return w.bytes
}

/// A JSON object member `"name": [objects]` whose objects have `members` names of `length` decoded bytes each:
/// hostile names are `\u0061` escapes sharing all but 3 characters; benign ones are plain text, distinct early.
func jsonNameObjects(objects: Int, members: Int, length: Int, hostile: Bool) -> String {
    var s = "["
    for o in 0..<objects {
        if o > 0 { s += "," }
        s += "{"
        for m in 0..<members {
            if m > 0 { s += "," }
            let id = String(o * 1000 + (m &* 7919) % 997, radix: 36)
            let tag = String(repeating: "0", count: max(0, 3 - id.count)) + id
            if hostile {
                s += "\"" + String(repeating: "\\u0061", count: length - 3) + tag + "\":0"
            } else {
                // The same number of bytes in the text: 6 per escaped character.
                s += "\"" + tag + String(repeating: "b", count: (length - 3) * 6) + "\":0"
            }
        }
        s += "}"
    }
    return s + "]"
}

@MainActor func runHostileInputs(seconds: Double, jsonPath: String?) throws {
    let rpId = "bench.passkeyd.test", origin = "https://bench.passkeyd.test"
    let rp = try RelyingParty(id: rpId, origins: [origin])
    let challenge = SoftRandom.bytes(32)
    var cases: [HostileCase] = []

    // 1. The CBOR reader alone, ~1 MiB: one map of 2,000 equal-prefix keys (the review's input).
    do {
        let hostile = cborMap(equalPrefixKeys(2000, length: 500, sorted: false))
        let benign = cborMap(equalPrefixKeys(2000, length: 500, sorted: true))
        func parse(_ b: [UInt8]) {
            b.withUnsafeBytes { raw in
                do { _ = try CBORReader(raw).readSingleItem() } catch { fatalError("\(error)") }
            }
        }
        cases.append(HostileCase(name: "CBOR reader: map of 2,000 equal-prefix 500-byte keys, unsorted vs sorted", bytes: hostile.count,
                                 benign: { parse(benign) }, hostile: { parse(hostile) }))
    }
    // 2. Many medium unsorted maps (each takes the hashed path) vs the same maps sorted.
    do {
        func maps(sorted: Bool) -> [UInt8] {
            var w = CBORWriter()
            w.beginArray(130)  // 130 × 31 items: under the reader's 4,096-item limit
            for _ in 0..<130 { w.writeRaw(cborMap(equalPrefixKeys(15, length: 500, sorted: sorted))) }
            return w.bytes
        }
        let hostile = maps(sorted: false), benign = maps(sorted: true)
        func parse(_ b: [UInt8]) {
            b.withUnsafeBytes { raw in
                do { _ = try CBORReader(raw).readSingleItem() } catch { fatalError("\(error)") }
            }
        }
        cases.append(HostileCase(name: "CBOR reader: 130 maps of 15 equal-prefix 500-byte keys, unsorted vs sorted", bytes: hostile.count,
                                 benign: { parse(benign) }, hostile: { parse(hostile) }))
    }
    // 3. The JSON reader alone, ~1 MiB: 15 objects × 255 escaped equal-prefix names (the review's input).
    do {
        let hostile = Array(("{\"ignored\":" + jsonNameObjects(objects: 15, members: 255, length: 45, hostile: true) + "}").utf8)
        let benign = Array(("{\"ignored\":" + jsonNameObjects(objects: 15, members: 255, length: 45, hostile: false) + "}").utf8)
        var reader = JSONReader(limits: .init(maxDepth: 32, maxNodes: 1 << 16, maxMembersPerObject: 256))
        func parse(_ b: [UInt8]) { b.withUnsafeBytes { precondition((try? reader.parse($0)) != nil) } }
        cases.append(HostileCase(name: "JSON reader: 15 objects × 255 names, escaped equal-prefix vs plain", bytes: hostile.count,
                                 benign: { parse(benign) }, hostile: { parse(hostile) }))
    }
    // 4. A whole authentication from response JSON at its size limit, the hostile names in an ignored member.
    do {
        let auth = try SoftAuthenticator(algorithm: .es256)
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        let base = String(decoding: a.json, as: UTF8.self)
        func padded(_ hostile: Bool) -> [UInt8] {
            let member = jsonNameObjects(objects: 5, members: 255, length: 16, hostile: hostile)
            return Array((String(base.dropLast()) + ",\"ignored\":" + member + "}").utf8)
        }
        let hostile = padded(true), benign = padded(false)
        precondition(hostile.count <= InputLimits.responseJSON && hostile.count == benign.count)
        let stored = StoredCredential(publicKey: auth.cosePublicKey, signCount: 0)
        let verifier = WebAuthnVerifier(keyCache: KeyCache(capacity: 16))
        func run(_ json: [UInt8]) {
            precondition((try? verifier.verifyAuthentication(responseJSON: json, challenge: challenge, credential: stored, relyingParty: rp)) != nil)
        }
        cases.append(HostileCase(name: "authentication from response JSON at its limit, escaped names in an ignored member", bytes: hostile.count,
                                 benign: { run(benign) }, hostile: { run(hostile) }))
    }
    // 5. A signed assertion whose authenticator-data extension map (at the authData limit) is unsorted vs sorted.
    do {
        let auth = try SoftAuthenticator(algorithm: .es256)
        func assertion(sorted: Bool) throws -> SoftAssertion {
            var o = SoftCeremonyOptions()
            o.extensions = cborMap(equalPrefixKeys(60, length: 240, sorted: sorted))
            o.signCount = 1
            return try auth.assert(rpId: rpId, origin: origin, challenge: challenge, options: o)
        }
        let hostile = try assertion(sorted: false), benign = try assertion(sorted: true)
        precondition(hostile.authenticatorData.count <= InputLimits.authenticatorData)
        let stored = StoredCredential(publicKey: auth.cosePublicKey, signCount: 0)
        let verifier = WebAuthnVerifier(keyCache: KeyCache(capacity: 16))
        func run(_ s: SoftAssertion) {
            precondition((try? verifier.verifyAuthentication(
                authenticatorData: s.authenticatorData, clientDataJSON: s.clientDataJSON, signature: s.signature,
                challenge: challenge, credential: stored, relyingParty: rp)) != nil)
        }
        cases.append(HostileCase(name: "authentication: authenticator-data extensions map of 60 keys, unsorted vs sorted", bytes: hostile.authenticatorData.count,
                                 benign: { run(benign) }, hostile: { run(hostile) }))
    }
    // 6. A registration at the attestation-object limit whose attStmt map has unsorted extra keys.
    do {
        let auth = try SoftAuthenticator(algorithm: .es256)
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .none)
        func object(sorted: Bool) -> [UInt8] {
            // Extra members make a 'none' statement invalid, but only after the whole object was parsed.
            let stmt = cborMap(equalPrefixKeys(120, length: 500, sorted: sorted))
            return SoftAuthenticator.attestationObject(fmt: "none", statement: stmt, authData: reg.authenticatorData)
        }
        let hostile = object(sorted: false), benign = object(sorted: true)
        precondition(hostile.count <= InputLimits.attestationObject)
        let verifier = WebAuthnVerifier(keyCache: KeyCache(capacity: 0))
        func run(_ ao: [UInt8]) {
            do {
                _ = try verifier.verifyRegistration(
                    clientDataJSON: reg.clientDataJSON, attestationObject: ao, challenge: challenge, relyingParty: rp)
                preconditionFailure("accepted")
            } catch {
                precondition(error.code == .invalidAttestationStatement)
            }
        }
        cases.append(HostileCase(name: "registration: attestation object at its limit, attStmt of 120 keys unsorted vs sorted", bytes: hostile.count,
                                 benign: { run(benign) }, hostile: { run(hostile) }))
    }

    print("hostile vs benign inputs of the same size (mean µs per parse or verification, \(seconds) s each)")
    print("| input | bytes | benign µs | hostile µs | hostile / benign |")
    print("|---|---:|---:|---:|---:|")
    var w = JSONWriter()
    w.beginArray()
    for c in cases {
        let b = microsecondsPerCall(seconds: seconds, c.benign)
        let h = microsecondsPerCall(seconds: seconds, c.hostile)
        let ratio = h / b
        print("| \(c.name) | \(c.bytes) | \(String(format1(b))) | \(String(format1(h))) | \(String(format2(ratio))) |")
        w.beginObject()
        w.member("input", c.name)
        w.member("bytes", Int64(c.bytes))
        w.member("benign_ns", Int64(b * 1000))
        w.member("hostile_ns", Int64(h * 1000))
        w.endObject()
    }
    w.endArray()
    if let jsonPath {
        guard let f = fopen(jsonPath, "w") else { fatalError("cannot write \(jsonPath)") }
        fputs(w.text + "\n", f)
        fclose(f)
    }
}

func format1(_ x: Double) -> String { String((x * 10).rounded() / 10) }
func format2(_ x: Double) -> String { String((x * 100).rounded() / 100) }

let alphabet64: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
