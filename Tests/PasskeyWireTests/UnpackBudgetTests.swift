import PasskeyProtocol
import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import PasskeyWire
import Testing

/// The unpack budget admits the largest real requests and refuses the shapes that make protobuf-c amplify a frame;
/// the arena's spill chunks go back to the system at the next reset. Each test prints what it measured
/// (`used / payload`), which is where `UnpackBudget.default` comes from.
@Suite(.serialized) struct UnpackBudgetTests {
    static let challenge = [UInt8](repeating: 0x42, count: 32)
    static let mib = 1 << 20

    /// Unpacks with no budget at all and returns the bytes protobuf-c took (what the budget has to cover).
    static func unbudgetedCost(_ r: WireBytes) -> Int {
        let e = Requests.executor(budget: UnpackBudget(baseBytes: Int.max / 2, bytesPerPayloadByte: 0))
        guard case .decoded = r.withPayload({ e.decodeRequest($0) }) else { return -1 }
        return e.arenaStatistics.used
    }

    static func report(_ name: String, _ r: WireBytes, items: Int? = nil) -> Double {
        let cost = unbudgetedCost(r)
        let ratio = Double(cost) / Double(max(1, r.bytes.count))
        let itemText = items.map { ", \($0) items" } ?? ""
        print("unpack \(name): payload \(r.bytes.count) bytes\(itemText), arena \(cost) bytes, \(ratio.twoDecimals)×")
        return ratio
    }

    // MARK: - Real requests fit

    static func densestAssertionBatch(json: Bool = false, algorithm: COSEAlgorithm = .ed25519) throws -> (WireBytes, Int) {
        // Short credential ids and the smallest signatures make the most items per MiB: the densest real batch.
        var items: [WireBytes] = []
        for i in 0..<64 {
            let auth = try SoftAuthenticator(algorithm: algorithm, credentialID: [UInt8](repeating: UInt8(i), count: 16))
            items.append(try Requests.assertionItem(auth, challenge: challenge, json: json))
        }
        return Requests.batch(id: 11, method: F.authBatch, items: items)
    }

    @Test func realRequestsFitTheDefaultBudget() throws {
        let budget = UnpackBudget.default
        var worst = 0.0
        let auth = try SoftAuthenticator(algorithm: .es256)
        let single = Requests.request(id: 1, method: F.verifyAuthentication, try Requests.assertionItem(auth, challenge: Self.challenge))
        worst = max(worst, Self.report("one ES256 assertion", single))
        #expect(Self.unbudgetedCost(single) < 4 << 10)
        for algorithm in [COSEAlgorithm.ed25519, .es256] {
            for json in [false, true] {
                let (batch, n) = try Self.densestAssertionBatch(json: json, algorithm: algorithm)
                worst = max(worst, Self.report("\(n) \(algorithm) assertions, \(json ? "response_json" : "raw fields"), inline policy each", batch, items: n))
            }
        }
        // Registrations with a packed attestation and a two-certificate chain: large items.
        let ca = try TestCA()
        let issued = try ca.issueAttestation()
        let identity = AttestationIdentity(key: issued.key, algorithm: .es256, chain: issued.chain + [ca.root])
        var regs: [WireBytes] = []
        for _ in 0..<8 {
            let a = try SoftAuthenticator(algorithm: .es256)
            let r = try a.register(rpId: Requests.rpID, origin: Requests.origin, challenge: Self.challenge, attestation: .packed(identity))
            regs.append(Requests.registrationItem(r, challenge: Self.challenge))
        }
        let (regBatch, m) = Requests.batch(id: 12, method: F.regBatch, items: regs)
        worst = max(worst, Self.report("\(m) packed registrations", regBatch, items: m))
        // A policy with a realistic number of origins and trust anchors, on one registration.
        var policy = Requests.inlinePolicy()
        for i in 0..<64 { policy.string(F.origins, "https://app\(i).example.com") }
        policy.bytes(F.trustAnchors, ca.root.derBytes)
        let one = try SoftAuthenticator(algorithm: .es256)
        let reg = try one.register(rpId: Requests.rpID, origin: Requests.origin, challenge: Self.challenge, attestation: .packed(identity))
        let big = Requests.request(id: 13, method: F.verifyRegistration, Requests.registrationItem(reg, challenge: Self.challenge, policy: policy))
        worst = max(worst, Self.report("a registration with 64 origins and a trust anchor", big))
        print("unpack: worst real ratio \(worst.twoDecimals)×; budget \(budget.bytesPerPayloadByte)× + \(budget.baseBytes) bytes")
        // What the budget must leave: a quarter of headroom over the densest real batch.
        #expect(worst * 1.25 <= Double(budget.bytesPerPayloadByte))
        for r in [single, big, regBatch, try Self.densestAssertionBatch().0] {
            let e = Requests.executor()
            guard case .decoded = r.withPayload({ e.decodeRequest($0) }) else {
                Issue.record("a real request was refused")
                continue
            }
        }
    }

    @Test func theDensestRealBatchVerifiesInFull() throws {
        let (batch, n) = try Self.densestAssertionBatch(algorithm: .es256)
        #expect(n > 2000)
        let e = Requests.executor()
        guard case let .decoded(summary) = batch.withPayload({ e.decodeRequest($0) }) else {
            Issue.record("refused")
            return
        }
        #expect(summary.itemCount == n)
        var verified = 0
        e.onVerdict = { _, code in if code == .errorCodeNone { verified += 1 } }
        let response = e.execute(snapshot: ServerSnapshot(draining: false, inFlight: 1, connections: 1))
        #expect(verified == n)
        let s = e.arenaStatistics
        print("execute \(n) assertions: request \(batch.bytes.count) bytes, response \(response.payload.count) bytes, arena high water \(s.usedHighWater) bytes")
        // Execution is not budgeted; what it adds is a result per item, bounded by the items the budget admitted.
        #expect(s.usedHighWater <= UnpackBudget.default.bytes(forPayload: batch.bytes.count) + n * 512)
    }

    @Test func failingItemsAddAResultAndAMessageEach() throws {
        // As many small real-sized assertions as fit, each failing (a wrong challenge): a result and an error message
        // per item is the largest response per request byte.
        let auth = try SoftAuthenticator(algorithm: .ed25519, credentialID: [1, 2, 3, 4])
        let item = try Requests.assertionItem(auth, challenge: [7], expected: [8])
        let (batch, n) = Requests.batch(id: 14, method: F.authBatch, items: [item])
        #expect(n > 3000)
        let e = Requests.executor()
        guard case .decoded = batch.withPayload({ e.decodeRequest($0) }) else {
            Issue.record("refused")
            return
        }
        var failed = 0
        e.onVerdict = { _, code in if code != .errorCodeNone { failed += 1 } }
        let response = e.execute(snapshot: ServerSnapshot(draining: false, inFlight: 1, connections: 1))
        #expect(failed == n)
        let s = e.arenaStatistics
        print("execute \(n) failing items: request \(batch.bytes.count) bytes, response \(response.payload.count) bytes, arena high water \(s.usedHighWater) bytes")
        #expect(s.usedHighWater <= UnpackBudget.default.bytes(forPayload: batch.bytes.count) + n * 512)
    }

    // MARK: - Amplifying shapes are refused

    static func fill(_ unit: [UInt8], _ room: Int = mib - 32) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: room / unit.count * unit.count) { b, n in
            for i in 0..<(room / unit.count) { for (j, u) in unit.enumerated() { b[i * unit.count + j] = u } }
            n = room / unit.count * unit.count
        }
    }

    static func policyRequest(id: UInt64, _ policyBody: [UInt8]) -> WireBytes {
        var item = WireBytes()
        item.bytes(F.policy, policyBody)
        return Requests.request(id: id, method: F.verifyAuthentication, item)
    }

    /// (name, frame) pairs, each at most 1 MiB; the ones beyond 4096 items are for the prescan, not the budget.
    static func amplifyingShapes() -> [(String, WireBytes)] {
        var shapes: [(String, WireBytes)] = []
        let emptyString = WireBytes.key(F.origins, 2) + [0]
        shapes.append(("~500k empty origins", policyRequest(id: 2, fill(emptyString))))
        shapes.append(("~500k empty top origins", policyRequest(id: 3, fill(WireBytes.key(F.topOrigins, 2) + [0]))))
        shapes.append(("~500k empty trust anchors", policyRequest(id: 4, fill(WireBytes.key(F.trustAnchors, 2) + [0]))))
        var packed = WireBytes()
        packed.bytes(F.algorithms, [UInt8](repeating: 0x0D, count: mib - 40))
        shapes.append(("~1M packed allowed_algorithms", policyRequest(id: 5, packed.bytes)))
        shapes.append(("~500k unpacked allowed_algorithms", policyRequest(id: 6, fill(WireBytes.key(F.algorithms, 0) + [0x0D]))))
        var unknown = WireBytes()
        unknown.varint(F.id, 7)
        unknown.bytes += fill(WireBytes.key(3, 0) + [0])
        shapes.append(("~500k unknown top-level fields", unknown))
        var unknownInPolicy = WireBytes()
        unknownInPolicy.bytes += fill(WireBytes.key(99, 0) + [0])
        shapes.append(("~350k unknown fields in a policy", policyRequest(id: 8, unknownInPolicy.bytes)))
        // 4096 items (the most a batch may have), each a policy of ~120 empty origins.
        var itemPolicy = WireBytes()
        itemPolicy.bytes(F.policy, fill(emptyString, (mib - 64) / 4096 - 8))
        shapes.append(("4096 items × ~120 empty origins", Requests.batch(id: 9, method: F.authBatch, items: [itemPolicy]).0))
        // 4096 items that are nothing but empty sub-messages: 32 KiB of frame, ~1.8 MB of structs.
        var hollow = WireBytes()
        hollow.bytes(F.policy, [])
        hollow.bytes(F.fields, [])
        shapes.append(("4096 items of empty policy and fields", Requests.batch(id: 10, method: F.authBatch, items: [hollow]).0))
        // One policy 128 times: protobuf merges a repeated singular message, concatenating its lists every time.
        var policy = WireBytes()
        policy.bytes(F.policy, fill(emptyString, 8000))
        var merged = WireBytes()
        for _ in 0..<128 { merged.bytes += policy.bytes }
        shapes.append(("one policy merged 128 times", Requests.request(id: 11, method: F.verifyAuthentication, merged)))
        var reg = WireBytes()
        reg.bytes(F.policy, fill(emptyString))
        shapes.append(("registration, ~500k empty origins", Requests.request(id: 12, method: F.verifyRegistration, reg)))
        var transports = WireBytes()
        transports.bytes(F.regFields, fill(WireBytes.key(F.transports, 2) + [0]))
        shapes.append(("registration, ~500k empty transports", Requests.request(id: 13, method: F.verifyRegistration, transports)))
        for (name, r) in shapes { precondition(r.bytes.count <= mib, name) }
        return shapes
    }

    @Test func amplifyingShapesAreRefusedAndTheirMemoryReturned() throws {
        let budget = UnpackBudget.default
        var least = Double.infinity
        for (name, r) in Self.amplifyingShapes() {
            least = min(least, Self.report(name, r))
            let e = Requests.executor()
            let outcome = r.withPayload { e.decodeRequest($0) }
            #expect(outcome == .resourceExhausted(budget: budget.bytes(forPayload: r.bytes.count)), "\(name)")
            let s = e.arenaStatistics
            // Never more than the budget (plus one chunk's rounding), and nothing kept once refused.
            #expect(s.usedHighWater <= budget.bytes(forPayload: r.bytes.count), "\(name)")
            #expect(s.mappedHighWater <= budget.bytes(forPayload: r.bytes.count) + Self.mib, "\(name)")
            #expect(s.mapped == 0 && s.used == 0, "\(name)")
        }
        print("unpack: least amplifying ratio \(least.twoDecimals)×")
        #expect(least > Double(budget.bytesPerPayloadByte))
    }

    @Test func theExecutorStaysUsableAndAllocationFreeAfterARefusal() throws {
        let e = Requests.executor()
        let auth = try SoftAuthenticator(algorithm: .es256)
        let snapshot = ServerSnapshot(draining: false, inFlight: 1, connections: 1)
        func verifyOnce() throws -> Bool {
            let r = Requests.request(id: 3, method: F.verifyAuthentication, try Requests.assertionItem(auth, challenge: Self.challenge))
            guard case .decoded = r.withPayload({ e.decodeRequest($0) }) else { return false }
            var ok = false
            e.onVerdict = { _, code in ok = code == .errorCodeNone }
            _ = e.execute(snapshot: snapshot)
            return ok
        }
        #expect(try verifyOnce())
        for (_, r) in Self.amplifyingShapes().prefix(3) {
            guard case .resourceExhausted = r.withPayload({ e.decodeRequest($0) }) else {
                Issue.record("not refused")
                continue
            }
            let refusal = e.errorResponse(id: 1, code: .resourceExhausted, message: "too much")
            #expect(refusal.payload.count > 0)
        }
        let chunks = e.arenaSpills
        for _ in 0..<50 { #expect(try verifyOnce()) }
        // Normal requests fit the main block: no chunk mapped, nothing mapped now.
        #expect(e.arenaSpills == chunks)
        #expect(e.arenaStatistics.mapped == 0)
    }

    @Test func spillChunksAreUnmappedAtTheNextReset() throws {
        let (batch, _) = try Self.densestAssertionBatch()
        let e = Requests.executor()
        guard case .decoded = batch.withPayload({ e.decodeRequest($0) }) else {
            Issue.record("refused")
            return
        }
        let during = e.arenaStatistics
        #expect(during.mapped > 0 && during.chunksMapped > 0)
        #expect(during.mapped >= during.used - during.blockSize)
        _ = Requests.request(id: 1, method: F.health, WireBytes()).withPayload { e.decodeRequest($0) }
        let after = e.arenaStatistics
        #expect(after.mapped == 0)
        #expect(after.mappedHighWater == during.mappedHighWater)
        // Or at once, after the response has been copied out.
        guard case .decoded = batch.withPayload({ e.decodeRequest($0) }) else { return }
        let response = Array(e.execute(snapshot: ServerSnapshot(draining: false, inFlight: 1, connections: 1)).payload)
        #expect(e.arenaStatistics.mapped > 0 && !response.isEmpty)
        e.releaseSpill()
        #expect(e.arenaStatistics.mapped == 0)
        let chunks = e.arenaSpills
        e.releaseSpill()  // nothing mapped: nothing to do
        #expect(e.arenaSpills == chunks)
    }

    @Test func budgetArithmeticSaturates() {
        #expect(UnpackBudget.default.bytes(forPayload: 0) == 64 << 10)
        #expect(UnpackBudget.default.bytes(forPayload: 1 << 20) == (64 << 10) + (4 << 20))
        #expect(UnpackBudget(baseBytes: .max, bytesPerPayloadByte: 2).bytes(forPayload: .max) == .max)
    }
}

extension Double {
    /// "3.14" (no Foundation in this target).
    var twoDecimals: String {
        let x = Int((self * 100).rounded())
        let frac = x % 100
        return "\(x / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
