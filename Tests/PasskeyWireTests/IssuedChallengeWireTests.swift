import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import PasskeyWire
import Testing

/// Issued challenges through the wire executor: the embedded store refuses a replay inline; with the shared store a
/// request that verified waits (`WaitingRequest`) holding its arena while the executor serves others, and its items
/// are patched from the store's verdicts (first use, reused, unavailable).
@Suite struct IssuedChallengeWireTests {
    static let snapshot = ServerSnapshot(draining: false, inFlight: 1, connections: 1)
    static let issuedAuth = 10, issuedReg = 5, context = 1
    static let reused: UInt64 = 39, forged: UInt64 = 35, rebound: UInt64 = 37, unavailable: UInt64 = 12

    let keys = try! ChallengeKeyRing(
        keys: [try! ChallengeKey(name: "test-1", secret: [UInt8](repeating: 0x5A, count: 32))], minting: "test-1")

    func registry() -> RelyingPartyRegistry {
        let r = RelyingPartyRegistry()
        r.replaceChallengeKeys(keys)
        return r
    }

    func executor(_ registry: RelyingPartyRegistry, replay: ChallengeReplayMode) -> WireExecutor {
        WireExecutor(
            registry: registry, keyCache: KeyCache(capacity: 64),
            description: ServerDescription(version: "test", limits: WireLimits()), replay: replay)
    }

    func mint(_ ceremony: CeremonyKind, _ context: [UInt8]) throws -> [UInt8] {
        try keys.mint(.init(ceremony: ceremony, rpID: Requests.rpID, context: context), lifetimeMs: 60_000, nowMs: WallClock.nowMs()).token
    }

    /// An assertion over an issued token, checked "issued for `context`".
    func issuedItem(_ auth: SoftAuthenticator, token: [UInt8], context: [UInt8], json: Bool = false) throws -> WireBytes {
        let a = try auth.assert(rpId: Requests.rpID, origin: Requests.origin, challenge: token)
        var item = WireBytes()
        item.message(F.policy, Requests.inlinePolicy())
        var issued = WireBytes()
        issued.bytes(Self.context, context)
        item.message(Self.issuedAuth, issued)
        item.bytes(F.publicKey, auth.cosePublicKey)
        if json {
            item.bytes(F.responseJSON, a.json)
        } else {
            var f = WireBytes()
            f.bytes(F.credentialID, a.credentialID)
            f.bytes(F.authenticatorData, a.authenticatorData)
            f.bytes(F.clientDataJSON, a.clientDataJSON)
            f.bytes(F.signature, a.signature)
            item.message(F.fields, f)
        }
        return item
    }

    func decode(_ e: WireExecutor, _ r: WireBytes) {
        guard case .decoded = r.withPayload({ e.decodeRequest($0) }) else {
            Issue.record("not decoded")
            return
        }
    }

    func run(_ e: WireExecutor, _ r: WireBytes) -> ExecuteOutcome {
        decode(e, r)
        return e.executeRequest(snapshot: Self.snapshot)
    }

    @Test func theEmbeddedStoreRefusesAReplayInline() throws {
        let e = executor(registry(), replay: .inline(InMemoryReplayStore(capacity: 1000)))
        let auth = try SoftAuthenticator(algorithm: .es256)
        let session = Array("session-1".utf8)
        let item = try issuedItem(auth, token: try mint(.authentication, session), context: session)
        let request = Requests.request(id: 1, method: F.verifyAuthentication, item)
        decode(e, request)
        #expect(ResponseFields(e.execute(snapshot: Self.snapshot)).singleCode == 0)
        decode(e, request)
        #expect(ResponseFields(e.execute(snapshot: Self.snapshot)).singleCode == Self.reused)
        // The same bytes checked as expected bytes still verify: only issued checks are single use.
        var expected = WireBytes()
        let a = try auth.assert(rpId: Requests.rpID, origin: Requests.origin, challenge: [9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9])
        expected.message(F.policy, Requests.inlinePolicy())
        expected.bytes(F.challenge, [9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9])
        expected.bytes(F.publicKey, auth.cosePublicKey)
        expected.bytes(F.responseJSON, a.json)
        for _ in 0..<2 {
            decode(e, Requests.request(id: 2, method: F.verifyAuthentication, expected))
            #expect(ResponseFields(e.execute(snapshot: Self.snapshot)).singleCode == 0)
        }
    }

    @Test func theResponseJSONPathIsSingleUseToo() throws {
        let e = executor(registry(), replay: .inline(InMemoryReplayStore(capacity: 1000)))
        let auth = try SoftAuthenticator(algorithm: .es256)
        let token = try mint(.authentication, [7])
        let request = Requests.request(id: 1, method: F.verifyAuthentication, try issuedItem(auth, token: token, context: [7], json: true))
        decode(e, request)
        #expect(ResponseFields(e.execute(snapshot: Self.snapshot)).singleCode == 0)
        decode(e, request)
        #expect(ResponseFields(e.execute(snapshot: Self.snapshot)).singleCode == Self.reused)
    }

    @Test func aWaitingRequestKeepsItsArenaWhileOthersRun() throws {
        let e = executor(registry(), replay: .deferred)
        let auth = try SoftAuthenticator(algorithm: .es256)
        let token = try mint(.authentication, [1])
        guard case let .waiting(w) = run(e, Requests.request(id: 41, method: F.verifyAuthentication, try issuedItem(auth, token: token, context: [1])))
        else { Issue.record("expected a waiting request"); return }
        #expect(w.id == 41 && w.challenges.count == 1 && w.challenges[0].token == token)
        // Other requests run meanwhile in the executor's fresh arena, including one that needs no store.
        for i in 0..<5 {
            var health = WireBytes()
            health.varint(F.id, UInt64(100 + i))
            health.message(F.health, WireBytes())
            guard case let .response(r) = run(e, health) else { Issue.record("health waited"); return }
            #expect(ResponseFields(r).id == UInt64(100 + i))
        }
        let encoded = w.finish([.firstUse])
        let fields = ResponseFields(encoded)
        #expect(fields.id == 41 && fields.singleCode == 0 && fields.signCount != nil)
        w.release()
        #expect(e.spareArenas == 1)
    }

    @Test func verdictsPatchTheirItemsInOrder() throws {
        let e = executor(registry(), replay: .deferred)
        let auth = try SoftAuthenticator(algorithm: .es256)
        let ok = try issuedItem(auth, token: try mint(.authentication, [1]), context: [1])
        let forged = try issuedItem(auth, token: [UInt8](repeating: 1, count: 66), context: [1])
        let reused = try issuedItem(auth, token: try mint(.authentication, [2]), context: [2], json: true)
        let rebound = try issuedItem(auth, token: try mint(.authentication, [3]), context: [4])
        var body = WireBytes()
        for item in [ok, forged, reused, rebound] { body.message(F.items, item) }
        guard case let .waiting(w) = run(e, Requests.request(id: 7, method: F.authBatch, body)) else {
            Issue.record("expected a waiting request"); return
        }
        // Only the items that verified wait; the others already have their results.
        #expect(w.challenges.count == 2)
        let codes = ResponseFields(w.finish([.firstUse, .reused])).batchCodes
        #expect(codes == [0, Self.forged, Self.reused, Self.rebound])
        w.release()
    }

    @Test func anUnavailableStoreFailsTheRequestWhole() throws {
        let e = executor(registry(), replay: .deferred)
        let auth = try SoftAuthenticator(algorithm: .es256)
        var body = WireBytes()
        for c in [UInt8(1), 2] { body.message(F.items, try issuedItem(auth, token: try mint(.authentication, [c]), context: [c])) }
        guard case let .waiting(w) = run(e, Requests.request(id: 9, method: F.authBatch, body)) else {
            Issue.record("expected a waiting request"); return
        }
        let fields = ResponseFields(w.finish([.firstUse, .unavailable]))
        #expect(fields.id == 9 && fields.errorCode == Self.unavailable)
        // execute() without a shared store answers UNAVAILABLE rather than waiting.
        decode(e, Requests.request(id: 10, method: F.authBatch, body))
        #expect(ResponseFields(e.execute(snapshot: Self.snapshot)).errorCode == Self.unavailable)
    }

    @Test func registrationsWaitAndAreRefusedWhenReused() throws {
        let e = executor(registry(), replay: .deferred)
        let auth = try SoftAuthenticator(algorithm: .es256)
        let token = try mint(.registration, [5])
        let created = try auth.register(rpId: Requests.rpID, origin: Requests.origin, challenge: token)
        var item = WireBytes()
        item.message(F.policy, Requests.inlinePolicy())
        var issued = WireBytes()
        issued.bytes(Self.context, [5])
        item.message(Self.issuedReg, issued)
        var f = WireBytes()
        f.bytes(F.credentialID, created.credentialID)
        f.bytes(F.attClientDataJSON, created.clientDataJSON)
        f.bytes(F.attestationObject, created.attestationObject)
        item.message(F.regFields, f)
        let request = Requests.request(id: 3, method: F.verifyRegistration, item)
        for (verdict, code) in [(ReplayVerdict.firstUse, UInt64(0)), (.reused, Self.reused)] {
            guard case let .waiting(w) = run(e, request) else { Issue.record("expected a waiting request"); return }
            let fields = ResponseFields(w.finish([verdict]))
            #expect(fields.singleCode == code)
            #expect((fields.credentialID != nil) == (code == 0))
            w.release()
        }
    }

    @Test func steadyStateReusesOneSpareArena() throws {
        let e = executor(registry(), replay: .deferred)
        let auth = try SoftAuthenticator(algorithm: .es256)
        let spills = e.arenaSpills
        for i in 0..<20 {
            let c = [UInt8(i)]
            guard case let .waiting(w) = run(e, Requests.request(id: UInt64(i), method: F.verifyAuthentication, try issuedItem(auth, token: try mint(.authentication, c), context: c)))
            else { Issue.record("expected a waiting request"); return }
            _ = w.finish([.firstUse])
            w.release()
            #expect(e.spareArenas == 1)
        }
        #expect(e.arenaSpills == spills)
    }
}

/// The few Response fields these tests read, from the protobuf wire format (no generated code in this target).
struct ResponseFields {
    var id: UInt64 = 0
    var errorCode: UInt64?
    /// verify_authentication / verify_registration result: error_code (0 when absent).
    var singleCode: UInt64?
    var signCount: UInt64?
    var credentialID: [UInt8]?
    var batchCodes: [UInt64] = []

    init(_ r: EncodedResponse) {
        let bytes = Array(r.payload)
        for (field, value) in Self.fields(bytes[...]) {
            switch (field, value) {
            case let (1, .varint(v)): id = v
            case let (11, .bytes(b)), let (10, .bytes(b)):
                singleCode = 0
                for (f, v) in Self.fields(b) {
                    if f == 1, case let .varint(c) = v { singleCode = c }
                    if f == 3, case let .varint(c) = v, field == 11 { signCount = c }
                    if f == 3, case let .bytes(id) = v, field == 10 { credentialID = Array(id) }
                }
            case let (12, .bytes(b)), let (13, .bytes(b)):
                for (f, v) in Self.fields(b) where f == 1 {
                    guard case let .bytes(result) = v else { continue }
                    var code: UInt64 = 0
                    for (rf, rv) in Self.fields(result) where rf == 1 { if case let .varint(c) = rv { code = c } }
                    batchCodes.append(code)
                }
            case let (20, .bytes(b)):
                errorCode = 0
                for (f, v) in Self.fields(b) where f == 1 { if case let .varint(c) = v { errorCode = c } }
            default: break
            }
        }
    }

    enum Value {
        case varint(UInt64)
        case bytes(ArraySlice<UInt8>)
    }

    static func fields(_ b: ArraySlice<UInt8>) -> [(Int, Value)] {
        var out: [(Int, Value)] = []
        var i = b.startIndex
        func varint() -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while i < b.endIndex {
                let byte = b[i]
                i += 1
                v |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            return v
        }
        while i < b.endIndex {
            let key = varint()
            switch key & 7 {
            case 0: out.append((Int(key >> 3), .varint(varint())))
            case 2:
                let n = Int(varint())
                out.append((Int(key >> 3), .bytes(b[i..<i + n])))
                i += n
            default: return out
            }
        }
        return out
    }
}
