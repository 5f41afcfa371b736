import PasskeyJSON
import PasskeyClient
import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn

/// The benchmark's relying party (generated corpora; a loaded corpus names its own).
enum BenchRP {
    static let id = "bench.passkeyd.test"
    static let origin = "https://bench.passkeyd.test"
}

/// `--algorithm`: one algorithm, `mix`, or a comma-separated list; corpus item i gets algorithm i mod count.
enum AlgorithmChoice {
    /// `mix`: the algorithms browsers and platform authenticators actually produce.
    static let mix: [COSEAlgorithm] = [.es256, .rs256, .ps256, .es384, .eddsa]

    static func parse(_ text: String) -> [COSEAlgorithm]? {
        let wanted = text.lowercased()
        if wanted == "mix" { return mix }
        var out: [COSEAlgorithm] = []
        for part in wanted.split(separator: ",") {
            let name = String(part.trimmingSpaces)
            guard let alg = COSEAlgorithm.allCases.first(where: { $0.name.lowercased() == name || "\($0)" == name })
            else { return nil }
            if !out.contains(alg) { out.append(alg) }
        }
        return out.isEmpty ? nil : out
    }

    static func name(_ raw: Int64) -> String { COSEAlgorithm(rawValue: raw)?.name ?? "alg\(raw)" }
}

/// One credential and one valid assertion of it.
struct CorpusItem: Sendable {
    var algorithm: Int64
    var credentialID: [UInt8]
    var publicKeyCOSE: [UInt8]
    var authenticatorData: [UInt8]
    var clientDataJSON: [UInt8]
    var signature: [UInt8]
    var userHandle: [UInt8]?
    /// Issued-challenge mode: the context this item's challenge was minted for (its assertion signs that token).
    var issuedContext: [UInt8]? = nil

    /// `AuthenticationResponseJSON` text, as a browser would send it.
    var responseJSON: String {
        let id = Base64URL.encode(credentialID)
        var s = "{\"id\":\"\(id)\",\"rawId\":\"\(id)\",\"type\":\"public-key\","
            + "\"response\":{\"clientDataJSON\":\"\(Base64URL.encode(clientDataJSON))\","
            + "\"authenticatorData\":\"\(Base64URL.encode(authenticatorData))\","
            + "\"signature\":\"\(Base64URL.encode(signature))\""
        if let userHandle { s += ",\"userHandle\":\"\(Base64URL.encode(userHandle))\"" }
        return s + "},\"clientExtensionResults\":{}}"
    }
}

/// N distinct credentials with one valid assertion each, all over one challenge, made (or loaded) before measuring, so
/// nothing is signed while the load runs. Reusing an assertion is fine: the stored sign count sent with it (0) stays
/// below the one it carries (1).
struct Corpus: Sendable {
    var rpID: String
    var origin: String
    var challenge: [UInt8]
    var items: [CorpusItem]

    /// Distinct algorithms in order of first appearance.
    var algorithms: [Int64] {
        var out: [Int64] = []
        for i in items where !out.contains(i.algorithm) { out.append(i.algorithm) }
        return out
    }

    /// "ES256", or "mix" when there are several.
    var algorithmLabel: String {
        let a = algorithms
        return a.count == 1 ? AlgorithmChoice.name(a[0]) : "mix"
    }

    /// Generates `count` credentials; item i uses `algorithms[i % algorithms.count]`. Key generation (RSA is slow)
    /// runs on every core.
    static func generate(count: Int, algorithms: [COSEAlgorithm]) async throws -> Corpus {
        let challenge = SoftRandom.bytes(32)
        let lanes = max(1, min(count, onlineCPUs()))
        let items = try await withThrowingTaskGroup(of: [(Int, CorpusItem)].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    var out: [(Int, CorpusItem)] = []
                    for i in stride(from: lane, to: count, by: lanes) {
                        out.append((i, try Self.item(algorithms[i % algorithms.count], challenge: challenge)))
                    }
                    return out
                }
            }
            var all = [CorpusItem?](repeating: nil, count: count)
            for try await part in group {
                for (i, item) in part { all[i] = item }
            }
            return all.map { $0! }
        }
        return Corpus(rpID: BenchRP.id, origin: BenchRP.origin, challenge: challenge, items: items)
    }

    /// A new credential and its assertion over `challenge`.
    static func credential(_ algorithm: COSEAlgorithm, challenge: [UInt8]) throws -> (SoftAuthenticator, SoftAssertion) {
        let authenticator = try SoftAuthenticator(algorithm: algorithm)
        let assertion = try authenticator.assert(rpId: BenchRP.id, origin: BenchRP.origin, challenge: challenge)
        return (authenticator, assertion)
    }

    /// Issued-challenge mode: `count` credentials, each asserting over its own challenge, minted by `keys`' minting key
    /// for the context "bench-<i>" and valid for 24 h (the daemon must hold the same keys: --challenge-keys-file).
    static func generateIssued(count: Int, algorithms: [COSEAlgorithm], keys: ChallengeKeyRing) async throws -> Corpus {
        let lanes = max(1, min(count, onlineCPUs()))
        let now = WallClock.nowMs()
        let items = try await withThrowingTaskGroup(of: [(Int, CorpusItem)].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    var out: [(Int, CorpusItem)] = []
                    for i in stride(from: lane, to: count, by: lanes) {
                        let context = Array("bench-\(i)".utf8)
                        let token = try keys.mint(
                            .init(ceremony: .authentication, rpID: BenchRP.id, context: context), lifetimeMs: 86_400_000, nowMs: now
                        ).token
                        var item = try Self.item(algorithms[i % algorithms.count], challenge: token)
                        item.issuedContext = context
                        out.append((i, item))
                    }
                    return out
                }
            }
            var all = [CorpusItem?](repeating: nil, count: count)
            for try await part in group {
                for (i, item) in part { all[i] = item }
            }
            return all.map { $0! }
        }
        return Corpus(rpID: BenchRP.id, origin: BenchRP.origin, challenge: [], items: items)
    }

    private static func item(_ algorithm: COSEAlgorithm, challenge: [UInt8]) throws -> CorpusItem {
        let (authenticator, a) = try credential(algorithm, challenge: challenge)
        return CorpusItem(
            algorithm: algorithm.rawValue, credentialID: a.credentialID, publicKeyCOSE: authenticator.cosePublicKey,
            authenticatorData: a.authenticatorData, clientDataJSON: a.clientDataJSON, signature: a.signature,
            userHandle: a.userHandle)
    }

    func request(_ item: CorpusItem, policy: RelyingPartyPolicy, responseJSON: Bool) -> AuthenticationRequest {
        let credential: AuthenticationRequest.Credential =
            responseJSON
            ? .json(item.responseJSON)
            : .fields(
                credentialID: item.credentialID, authenticatorData: item.authenticatorData,
                clientDataJSON: item.clientDataJSON, signature: item.signature, userHandle: item.userHandle)
        return AuthenticationRequest(
            policy: policy, challenge: challenge, credentialPublicKey: item.publicKeyCOSE, storedSignCount: 0,
            storedBackupEligible: false, storedCredentialID: item.credentialID, credential: credential,
            issuedChallengeContext: item.issuedContext)
    }

    /// The requests the load loop sends, built once so the loop only indexes.
    func workload(batch: Int, responseJSON: Bool, accepted: Set<String> = []) -> Workload {
        let policy = RelyingPartyPolicy(rpID: rpID, origins: [origin])
        let algs = algorithms
        let requests = items.map { request($0, policy: policy, responseJSON: responseJSON) }
        let slots = items.map { UInt8(algs.firstIndex(of: $0.algorithm)!) }
        var batches: [[AuthenticationRequest]] = []
        var batchSlots: [[UInt8]] = []
        if batch > 1 {
            // Batches of consecutive items, wrapping, enough that every item appears at least once.
            let n = max(1, (items.count + batch - 1) / batch)
            for b in 0..<n {
                let indices = (0..<batch).map { (b * batch + $0) % items.count }
                batches.append(indices.map { requests[$0] })
                batchSlots.append(indices.map { slots[$0] })
            }
        }
        return Workload(
            batch: batch, singles: requests, singleSlots: slots, batches: batches, batchSlots: batchSlots,
            algorithmCount: algs.count, accepted: accepted)
    }
}

/// Prepared requests. Ticket t (the t-th request of a run) sends `singles[t % count]` or `batches[t % count]`.
/// `slots` name each assertion's algorithm as an index into `Corpus.algorithms`.
struct Workload: Sendable {
    let batch: Int
    let singles: [AuthenticationRequest]
    let singleSlots: [UInt8]
    let batches: [[AuthenticationRequest]]
    let batchSlots: [[UInt8]]
    let algorithmCount: Int
    /// Result codes that count as served, not as errors (issued-challenge mode: CHALLENGE_REUSED, the answer to every
    /// repeat of the corpus after the full verification and one store write).
    var accepted: Set<String> = []
}
