// passkeyd stage micro-benchmarks: each stage of the ES256 assertion path (and the registration parse stages), timed
// and with its allocations counted. `mallocCountTotal` is every malloc in the process during the sample; `mallocsOpenSSL`
// is the part libcrypto made itself (counted through CRYPTO_set_mem_functions); `mallocsOwn` is the rest: passkeyd's
// own code, the Swift runtime and the standard library. Budgets: Thresholds/*.p90.json (README.md).
import Benchmark
import COpenSSLMallocCounter
import MallocInterposerSwift
import PasskeyCBOR
import PasskeyCOSE
import PasskeyCrypto
import PasskeyWire
@_spi(Benchmarks) import PasskeyWebAuthn

let ownMallocs = BenchmarkMetric.custom("mallocsOwn")
let openSSLMallocs = BenchmarkMetric.custom("mallocsOpenSSL")

/// Runs `body` (the whole sample) and records how many of its mallocs were OpenSSL's and how many were not.
@inline(__always)
func counted(_ benchmark: Benchmark, _ body: () throws -> Void) rethrows {
    let total = MallocInterposerSwift.getStatistics().mallocCount
    let ssl = stages_openssl_malloc_count()
    try body()
    let sslDelta = Int(stages_openssl_malloc_count() - ssl)
    let totalDelta = MallocInterposerSwift.getStatistics().mallocCount - total
    benchmark.measurement(openSSLMallocs, sslDelta)
    benchmark.measurement(ownMallocs, totalDelta - sslDelta)
}

/// Any increase of a malloc count is a regression (and any decrease an improvement to record): no tolerance.
func exactCounts() -> BenchmarkThresholds { BenchmarkThresholds(relative: [.p90: 0], absolute: [.p90: 0]) }

/// Fast stages loop 1000 times per sample (the results are shown per iteration, marked `*`); stages that include a
/// signature verification or a key build run once per sample.
func configuration(_ scaling: BenchmarkScalingFactor) -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .mallocCountTotal, ownMallocs, openSSLMallocs],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: scaling,
        maxDuration: .seconds(1),
        maxIterations: 10_000,
        thresholds: [.mallocCountTotal: exactCounts(), ownMallocs: exactCounts(), openSSLMallocs: exactCounts()])
}

let benchmarks: @Sendable () -> Void = {
    precondition(stages_openssl_counter_installed() == 1, "OpenSSL allocated before the malloc counter was installed")
    let f = try! Fixtures()
    let challenge = Pinned(f.challenge).view
    let cose = Pinned(f.cosePublicKey).view
    let attestationObject = Pinned(f.registration.attestationObject).view
    let registrationAuthData = Pinned(f.registration.authenticatorData).view
    let assertion = AssertionView(
        authenticatorData: Pinned(f.assertion.authenticatorData).view,
        clientDataJSON: Pinned(f.assertion.clientDataJSON).view,
        signature: Pinned(f.assertion.signature).view)
    let rp = f.relyingParty

    // MARK: CBOR

    Benchmark("CBOR.attestationObject", configuration: configuration(.kilo)) { benchmark in
        try counted(benchmark) {
            for _ in benchmark.scaledIterations {
                // What the registration ceremony reads from it: validate the whole item, then fmt, attStmt, authData.
                let reader = CBORReader(attestationObject)
                let root = try reader.readSingleItem()
                guard let fmt = try reader.value(in: root, textKey: "fmt"),
                    let statement = try reader.value(in: root, textKey: "attStmt"),
                    let authData = try reader.value(in: root, textKey: "authData")
                else { fatalError("attestation object lacks a member") }
                blackHole(try reader.textBytes(fmt))
                blackHole(statement)
                blackHole(try reader.bytes(authData))
            }
        }
    }

    Benchmark("CBOR.coseKey", configuration: configuration(.kilo)) { benchmark in
        try counted(benchmark) {
            for _ in benchmark.scaledIterations {
                let reader = CBORReader(cose)
                let key = try COSEKey(reader: reader, item: try reader.readSingleItem())
                blackHole(key)
            }
        }
    }

    // MARK: Authenticator data

    Benchmark("AuthData.assertion", configuration: configuration(.kilo)) { benchmark in
        try counted(benchmark) {
            for _ in benchmark.scaledIterations {
                blackHole(try AuthenticatorData(assertion.authenticatorData))
            }
        }
    }

    Benchmark("AuthData.registration", configuration: configuration(.kilo)) { benchmark in
        try counted(benchmark) {
            for _ in benchmark.scaledIterations {
                blackHole(try AuthenticatorData(registrationAuthData))
            }
        }
    }

    // MARK: Client data

    let clientDataVerifier = WebAuthnVerifier(keyCache: KeyCache(capacity: 0))
    Benchmark("ClientData.get", configuration: configuration(.kilo)) { benchmark in
        try counted(benchmark) {
            for _ in benchmark.scaledIterations {
                try clientDataVerifier.verifyAssertionClientData(
                    assertion.clientDataJSON, challenge: challenge, relyingParty: rp)
            }
        }
    }

    // MARK: Keys

    let cache = KeyCache(capacity: 64)
    func build() throws(COSEKeyError) -> KeyCache.Entry {
        let reader = CBORReader(cose)
        // `try?`, not do/catch: the debug build's separate emit-module job wrongly calls such a catch unreachable here.
        guard let item = try? reader.readSingleItem() else { throw COSEKeyError(.malformed, "the COSE key is not CBOR") }
        let key = try COSEKey(reader: reader, item: item)
        return KeyCache.Entry(key: try key.makePublicKey(), algorithm: key.algorithm)
    }
    _ = try! cache.entry(for: cose, build: build)

    Benchmark("Key.cached", configuration: configuration(.kilo)) { benchmark in
        try counted(benchmark) {
            for _ in benchmark.scaledIterations {
                blackHole(try cache.entry(for: cose) { () throws(COSEKeyError) -> KeyCache.Entry in
                    fatalError("the key should be cached")
                })
            }
        }
    }

    Benchmark("Key.uncached", configuration: configuration(.one)) { benchmark in
        try counted(benchmark) {
            for _ in benchmark.scaledIterations {
                blackHole(try build())
            }
        }
    }

    // MARK: Digest and signature

    let signatures = SignatureVerifier()
    let digest = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 16)
    Benchmark("Digest.clientDataHash", configuration: configuration(.kilo)) { benchmark in
        counted(benchmark) {
            for _ in benchmark.scaledIterations {
                signatures.sha256(assertion.clientDataJSON, into: digest)
            }
        }
    }

    signatures.sha256(assertion.clientDataJSON, into: digest)
    let clientDataHash = UnsafeRawBufferPointer(rebasing: digest[0..<32])
    let key = try! cache.entry(for: cose, build: build).key.openSSLKey!
    precondition(
        signatures.verify(
            signature: assertion.signature, part1: assertion.authenticatorData, part2: clientDataHash, key: key,
            scheme: .ecdsa(.sha256)) == .valid, "fixture signature does not verify")
    Benchmark("Signature.ES256", configuration: configuration(.one)) { benchmark in
        counted(benchmark) {
            for _ in benchmark.scaledIterations {
                blackHole(
                    signatures.verify(
                        signature: assertion.signature, part1: assertion.authenticatorData, part2: clientDataHash,
                        key: key, scheme: .ecdsa(.sha256)))
            }
        }
    }

    // MARK: The whole assertion

    let verifier = WebAuthnVerifier(keyCache: KeyCache(capacity: 64))
    func verify() throws(WebAuthnError) -> VerifiedAuthentication {
        try verifier.verifyAuthentication(
            assertion, challenge: challenge, publicKey: cose, storedSignCount: 0, relyingParty: rp)
    }
    precondition(try! verify().signCount == 42, "fixture assertion does not verify")
    Benchmark("Assertion.ES256", configuration: configuration(.one)) { benchmark in
        try counted(benchmark) {
            for _ in benchmark.scaledIterations {
                blackHole(try verify())
            }
        }
    }

    registerColdKeyBenchmark(assertion: assertion, challenge: challenge, cose: cose, relyingParty: rp)

    // The browser's AuthenticationResponseJSON text through the JSON entry point (same verifier, same warm cache).
    let responseJSON = f.assertion.json
    let storedCredential = StoredCredential(publicKey: f.cosePublicKey)
    func verifyJSON() throws(WebAuthnError) -> VerifiedAuthentication {
        try verifier.verifyAuthentication(
            responseJSON: responseJSON, challenge: f.challenge, credential: storedCredential, relyingParty: rp)
    }
    precondition(try! verifyJSON().signCount == 42, "fixture response JSON does not verify")
    Benchmark("Assertion.ES256.responseJSON", configuration: configuration(.one)) { benchmark in
        try counted(benchmark) {
            for _ in benchmark.scaledIterations {
                blackHole(try verifyJSON())
            }
        }
    }

    // MARK: Options (a challenge minted, the JSON written): not allocation-free, but counted, so growth shows

    let keys = ChallengeKeyRing.ephemeral()
    let user = UserEntity(id: Array(repeating: 7, count: 16), name: "alice@example.com", displayName: "Alice")
    let known = [CredentialDescriptor(id: Array(repeating: 0xA0, count: 32), transports: ["internal", "hybrid"])]
    Benchmark("Options.registration", configuration: configuration(.one)) { benchmark in
        try counted(benchmark) {
            for _ in benchmark.scaledIterations {
                blackHole(try rp.registrationOptions(RegistrationOptionsRequest(user: user, excludeCredentials: known), keys: keys))
            }
        }
    }
    Benchmark("Options.authentication", configuration: configuration(.one)) { benchmark in
        try counted(benchmark) {
            for _ in benchmark.scaledIterations {
                blackHole(try rp.authenticationOptions(AuthenticationOptionsRequest(allowCredentials: known), keys: keys))
            }
        }
    }

    // MARK: The wire path

    let registry = RelyingPartyRegistry(named: ["main": rp])
    let executor = WireExecutor(
        registry: registry, keyCache: KeyCache(capacity: 64),
        description: ServerDescription(version: "stages", limits: WireLimits()))
    let snapshot = ServerSnapshot(draining: false, inFlight: 1, connections: 1)
    for (name, request) in [
        ("Wire.verifyAuthentication.inline", Pinned(WireRequest.verifyAuthentication(f)).view),
        ("Wire.verifyAuthentication.named", Pinned(WireRequest.verifyAuthentication(f, relyingPartyName: "main")).view),
        ("Wire.verifyAuthentication.responseJSON", Pinned(WireRequest.verifyAuthentication(f, responseJSON: true)).view),
    ] {
        func run() -> UnsafeRawBufferPointer {
            guard executor.decode(request) != nil else { fatalError("the request does not decode") }
            return executor.execute(snapshot: snapshot).payload
        }
        let response = run()
        precondition(
            WireRequest.varint(in: response, path: [11], field: 1) == 0
                && WireRequest.varint(in: response, path: [11], field: 3) == 42,
            "\(name): the wire request does not verify")
        Benchmark(name, configuration: configuration(.one)) { benchmark in
            counted(benchmark) {
                for _ in benchmark.scaledIterations {
                    blackHole(run())
                }
            }
        }
    }

    requestPathBenchmarks(f)
}
