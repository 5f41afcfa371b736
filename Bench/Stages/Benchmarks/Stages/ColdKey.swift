// Assertion.ES256.coldKey: the whole §7.2 assertion with a key that is not in the cache (a KeyCache of capacity 0, so
// every iteration parses the COSE_Key and builds the OpenSSL key: what most logins of a large user base cost).
import Benchmark
import PasskeyCOSE
@_spi(Benchmarks) import PasskeyWebAuthn

func registerColdKeyBenchmark(
    assertion: AssertionView, challenge: UnsafeRawBufferPointer, cose: UnsafeRawBufferPointer, relyingParty: RelyingParty
) {
    let verifier = WebAuthnVerifier(keyCache: KeyCache(capacity: 0))
    func verify() throws(WebAuthnError) -> VerifiedAuthentication {
        try verifier.verifyAuthentication(
            assertion, challenge: challenge, publicKey: cose, storedSignCount: 0, relyingParty: relyingParty)
    }
    precondition(try! verify().signCount == 42, "fixture assertion does not verify with a cold key")
    Benchmark("Assertion.ES256.coldKey", configuration: configuration(.one)) { benchmark in
        try counted(benchmark) {
            for _ in benchmark.scaledIterations {
                blackHole(try verify())
            }
        }
    }
}
