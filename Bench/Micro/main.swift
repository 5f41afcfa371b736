// passkey-microbench: ES256 assertion verifications per second, in process, next to OpenSSL's raw P-256 verify rate
// on the same keys and signatures, measured in the same run (rounds interleaved so drift hits both alike).
import PasskeyJSON
import PasskeyCBOR
import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn

struct Options {
    var seconds = 1.0
    var rounds = 3
    var credentials = 64
    /// When set: fill a KeyCache with this many distinct P-256 keys and report the resident memory per key.
    var keyMemory: Int? = nil
    /// Also write the medians as JSON here.
    var json: String? = nil
    /// Instead: worst-case inputs next to benign ones of the same size (Bench/Micro/HostileInputs.swift).
    var hostile = false
    /// Instead: registrations per second per attestation format (Bench/Micro/RegistrationRates.swift).
    var registrations = false
    /// Instead: the gRPC listener's raw-bytes codec next to typed SwiftProtobuf stubs (Bench/Micro/GRPCCodec.swift).
    var grpcCodec = false
    /// Instead: every key-building route per algorithm, cold and hot (Bench/Micro/KeyRoutes.swift).
    var keyRoutes = false
    /// With --registrations: also write the registrations as JSON lines for the peer.
    var saveCorpus: String? = nil
    static func parse() -> Options {
        var o = Options()
        var args = CommandLine.arguments.dropFirst().makeIterator()
        func usage() -> Never {
            print("usage: passkey-microbench [--seconds S] [--rounds R] [--credentials N] [--key-memory N] [--hostile] [--registrations [--save-corpus PATH]] [--grpc-codec] [--key-routes] [--json PATH]")
            exit(2)
        }
        // A value that does not parse is an error, never the default.
        func number<T: LosslessStringConvertible>(_ name: String) -> T {
            guard let text = args.next(), let v = T(text) else {
                print("passkey-microbench: \(name) needs a number")
                usage()
            }
            return v
        }
        while let a = args.next() {
            switch a {
            case "--seconds": o.seconds = number(a)
            case "--rounds": o.rounds = number(a)
            case "--credentials": o.credentials = number(a)
            case "--key-memory": o.keyMemory = number(a) as Int
            case "--hostile": o.hostile = true
            case "--registrations": o.registrations = true
            case "--grpc-codec": o.grpcCodec = true
            case "--key-routes": o.keyRoutes = true
            case "--save-corpus":
                guard let path = args.next() else { usage() }
                o.saveCorpus = path
            case "--json":
                guard let path = args.next() else { usage() }
                o.json = path
            default: usage()
            }
        }
        return o
    }
}

#if canImport(Glibc)
    import Glibc
#endif

let options = Options.parse()

if options.registrations {
    try runRegistrationRates(
        seconds: options.seconds, perFormat: min(options.credentials, 16), jsonPath: options.json, corpusPath: options.saveCorpus)
    exit(0)
}

if options.grpcCodec {
    try runGRPCCodec(seconds: options.seconds, jsonPath: options.json)
    exit(0)
}

if options.keyRoutes {
    try runKeyRoutes(seconds: options.seconds, rounds: options.rounds, memoryKeys: options.keyMemory ?? 100_000, jsonPath: options.json)
    exit(0)
}

if options.hostile {
    try runHostileInputs(seconds: options.seconds, jsonPath: options.json)
    exit(0)
}

/// Resident set size of this process in KiB (from /proc/self/status).
func residentKiB() -> Int {
    guard let f = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, 256, f) != nil {
        let s = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if s.hasPrefix("VmRSS:") { return Int(s.split(separator: " ").dropFirst().first ?? "0") ?? 0 }
    }
    return 0
}

if let n = options.keyMemory {
    // Keys are generated first (their private halves are dropped), so only the cache's growth is measured.
    var coses: [[UInt8]] = []
    coses.reserveCapacity(n)
    for _ in 0..<n { coses.append(try SoftAuthenticator(algorithm: .es256).cosePublicKey) }
    let cache = KeyCache(capacity: n)
    let before = residentKiB()
    let rp = try RelyingParty(id: "m.test", origins: ["https://m.test"])
    for c in coses {
        _ = try c.withUnsafeBytes { bytes in
            try cache.entry(for: bytes) { () throws(COSEKeyError) -> KeyCache.Entry in
                let reader = CBORReader(bytes)
                let item = try! reader.readSingleItem()
                let key = try COSEKey(reader: reader, item: item)
                return KeyCache.Entry(key: try key.makePublicKey(), algorithm: key.algorithm)
            }
        }
    }
    _ = rp
    let after = residentKiB()
    let perKey = Double(after - before) * 1024 / Double(n)
    print("key cache: \(n) P-256 keys, RSS grew \((after - before) / 1024) MiB: \(Int(perKey)) bytes per cached key; 1,000,000 keys ≈ \(Int(perKey * 1_000_000 / 1_048_576)) MiB")
    print("statistics: \(cache.statistics)")
    exit(0)
}
let rpId = "bench.passkeyd.test"
let origin = "https://bench.passkeyd.test"
let challenge = SoftRandom.bytes(32)
let rp = try RelyingParty(id: rpId, origins: [origin])

struct Sample {
    let cose: [UInt8]
    let assertion: SoftAssertion
    let digest: [UInt8]
    let key: PublicKey
}

// Corpus: N credentials, one assertion each, generated before any timing.
var samples: [Sample] = []
let hasher = SignatureVerifier()
for _ in 0..<options.credentials {
    let auth = try SoftAuthenticator(algorithm: .es256)
    let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
    var cdHash = [UInt8](repeating: 0, count: 32)
    a.clientDataJSON.withUnsafeBytes { c in cdHash.withUnsafeMutableBytes { hasher.sha256(c, into: $0) } }
    var digest = [UInt8](repeating: 0, count: 32)
    let message = a.authenticatorData + cdHash
    message.withUnsafeBytes { m in digest.withUnsafeMutableBytes { hasher.sha256(m, into: $0) } }
    samples.append(Sample(cose: auth.cosePublicKey, assertion: a, digest: digest, key: auth.privateKey.publicKey))
}

@MainActor func rawRate() -> Double {
    let r = RawBaseline.ecdsaVerifyRate(
        keys: samples.map(\.key), digests: samples.map(\.digest), signatures: samples.map(\.assertion.signature),
        seconds: options.seconds)
    precondition(r.failures == 0, "raw baseline: \(r.failures) verifications failed")
    return r.perSecond
}

/// The second ceiling: ECDSA_verify on the same keys, the call SignatureVerifier makes (no provider dispatch).
@MainActor func directRate() -> Double {
    let r = RawBaseline.ecdsaDirectVerifyRate(
        keys: samples.map(\.key), digests: samples.map(\.digest), signatures: samples.map(\.assertion.signature),
        seconds: options.seconds)
    precondition(r.failures == 0, "direct baseline: \(r.failures) verifications failed")
    return r.perSecond
}

/// Full §7.2 verification of every sample in turn, for `seconds`.
@MainActor func libraryRate(cache: KeyCache) -> Double {
    let verifier = WebAuthnVerifier(keyCache: cache)
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + .milliseconds(Int(options.seconds * 1000))
    var count = 0
    var failures = 0
    while clock.now < deadline {
        for s in samples {
            let ok = s.assertion.authenticatorData.withUnsafeBytes { ad in
                s.assertion.clientDataJSON.withUnsafeBytes { cd in
                    s.assertion.signature.withUnsafeBytes { sig in
                        challenge.withUnsafeBytes { ch in
                            s.cose.withUnsafeBytes { pk in
                                (try? verifier.verifyAuthentication(
                                    AssertionView(authenticatorData: ad, clientDataJSON: cd, signature: sig),
                                    challenge: ch, publicKey: pk, storedSignCount: 0, relyingParty: rp)) != nil
                            }
                        }
                    }
                }
            }
            if !ok { failures += 1 }
            count += 1
        }
    }
    precondition(failures == 0, "library: \(failures) verifications failed")
    let elapsed = clock.now - start
    return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}

func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }

print("passkey-microbench: \(options.credentials) ES256 credentials, \(options.rounds) rounds of \(options.seconds) s each, one thread")
var raw: [Double] = []
var cached: [Double] = []
var uncached: [Double] = []
var direct: [Double] = []
let warmCache = KeyCache(capacity: options.credentials * 2)
for round in 1...options.rounds {
    raw.append(rawRate())
    cached.append(libraryRate(cache: warmCache))
    uncached.append(libraryRate(cache: KeyCache(capacity: 0)))
    direct.append(directRate())
    print("  round \(round): raw \(Int(raw.last!))/s, passkeyd cached key \(Int(cached.last!))/s, uncached \(Int(uncached.last!))/s")
}
let r = median(raw), c = median(cached), u = median(uncached), d = median(direct)
func fmt(_ x: Double) -> String { String(Int(x.rounded())) }
func ratio(_ x: Double) -> String {
    let v = (x / r * 1000).rounded() / 1000
    return String(v)
}
print("")
print("| measurement (median of \(options.rounds))                      | verifications/s | ratio to raw |")
print("|------------------------------------------------------|-----------------|--------------|")
print("| OpenSSL raw EVP_PKEY_verify, P-256, digest ready     | \(fmt(r).padding(15)) | 1.000        |")
print("| passkeyd full ES256 assertion (§7.2), cached key     | \(fmt(c).padding(15)) | \(ratio(c).padding(12)) |")
print("| passkeyd full ES256 assertion, key built per call    | \(fmt(u).padding(15)) | \(ratio(u).padding(12)) |")
print("| OpenSSL ECDSA_verify on the EC_KEY (second ceiling)  | \(fmt(d).padding(15)) | \(ratio(d).padding(12)) |")

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

if let path = options.json {
    var w = JSONWriter()
    w.beginObject()
    w.member("credentials", Int64(options.credentials))
    w.member("rounds", Int64(options.rounds))
    w.member("seconds_per_round", Int64(options.seconds * 1000) / 1000)
    w.member("raw_openssl_verifies_per_second", Int64(r.rounded()))
    w.member("passkeyd_cached_per_second", Int64(c.rounded()))
    w.member("passkeyd_uncached_per_second", Int64(u.rounded()))
    w.member("raw_ecdsa_verify_direct_per_second", Int64(d.rounded()))
    w.endObject()
    let text = w.text + "\n"
    guard let f = fopen(path, "w") else { fatalError("cannot write \(path)") }
    fputs(text, f)
    fclose(f)
}
