import PasskeyClient
import PasskeyCOSE
import PasskeySoftAuthenticator
import PasskeyWebAuthn

/// The benchmark's relying party.
enum BenchRP {
    static let id = "bench.passkeyd.test"
    static let origin = "https://bench.passkeyd.test"
    static var policy: RelyingPartyPolicy { RelyingPartyPolicy(rpID: id, origins: [origin]) }
}

/// One valid assertion per credential, made before measuring: reusing an assertion is fine because the stored sign
/// count sent with it (0) stays below the one it carries (1).
/// One challenge serves the whole corpus (as `--save-corpus` records it for the peer benchmarks).
struct Corpus: Sendable {
    let requests: [AuthenticationRequest]
    let challenge: [UInt8]
    let assertions: [SoftAssertion]
    let publicKeys: [[UInt8]]

    init(count: Int, algorithm: COSEAlgorithm, responseJSON: Bool) throws {
        let policy = BenchRP.policy
        let challenge = SoftRandom.bytes(32)
        var out: [AuthenticationRequest] = []
        var assertions: [SoftAssertion] = []
        var keys: [[UInt8]] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            let (authenticator, assertion) = try Self.credential(algorithm, challenge: challenge)
            assertions.append(assertion)
            keys.append(authenticator.cosePublicKey)
            let credential: AuthenticationRequest.Credential =
                responseJSON
                ? .json(String(decoding: assertion.json, as: UTF8.self))
                : .fields(
                    credentialID: assertion.credentialID, authenticatorData: assertion.authenticatorData,
                    clientDataJSON: assertion.clientDataJSON, signature: assertion.signature,
                    userHandle: assertion.userHandle)
            out.append(
                AuthenticationRequest(
                    policy: policy, challenge: challenge, credentialPublicKey: authenticator.cosePublicKey,
                    storedSignCount: 0, storedBackupEligible: false, storedCredentialID: authenticator.credentialID,
                    credential: credential))
        }
        requests = out
        self.challenge = challenge
        self.assertions = assertions
        publicKeys = keys
    }

    /// A new credential and its assertion over `challenge`.
    static func credential(_ algorithm: COSEAlgorithm, challenge: [UInt8]) throws -> (SoftAuthenticator, SoftAssertion) {
        let authenticator = try SoftAuthenticator(algorithm: algorithm)
        let assertion = try authenticator.assert(rpId: BenchRP.id, origin: BenchRP.origin, challenge: challenge)
        return (authenticator, assertion)
    }

    /// JSON lines for the peer benchmarks (Bench/peer): a header, then one assertion per line, base64url fields.
    func jsonLines(algorithm: COSEAlgorithm) -> String {
        func q(_ s: String) -> String { JSONWriter.quoted(s) }
        var text = "{\"rp_id\":\(q(BenchRP.id)),\"origin\":\(q(BenchRP.origin)),"
            + "\"challenge_b64url\":\(q(Base64URL.encode(challenge))),\"algorithm\":\(algorithm.rawValue),"
            + "\"count\":\(assertions.count)}\n"
        for (a, key) in zip(assertions, publicKeys) {
            text += "{\"credential_id\":\(q(Base64URL.encode(a.credentialID))),"
                + "\"authenticator_data\":\(q(Base64URL.encode(a.authenticatorData))),"
                + "\"client_data_json\":\(q(Base64URL.encode(a.clientDataJSON))),"
                + "\"signature\":\(q(Base64URL.encode(a.signature))),"
                + "\"public_key_cose\":\(q(Base64URL.encode(key)))}\n"
        }
        return text
    }

    /// `count` batches of `size` consecutive corpus items (wrapping), built once so the load loop only indexes.
    func batches(size: Int) -> [[AuthenticationRequest]] {
        let n = max(1, requests.count / size)
        return (0..<n).map { b in (0..<size).map { requests[(b * size + $0) % requests.count] } }
    }
}
