import PasskeyProtocol
import PasskeyWire
import Testing

/// The prescan reads id, deadline, method and item count from the wire format, agrees with protobuf-c on every
/// request protobuf-c accepts, refuses only what protobuf-c refuses too, and never reads past its buffer.
@Suite struct RequestPrescanTests {
    static func scan(_ w: WireBytes) -> RequestPrescan? { w.withPayload { RequestPrescan.scan($0) } }

    @Test func readsIdDeadlineAndMethod() throws {
        let methods: [(Int, WireMethod)] = [
            (F.verifyRegistration, .verifyRegistration), (F.verifyAuthentication, .verifyAuthentication),
            (F.authBatch, .verifyAuthenticationBatch), (F.regBatch, .verifyRegistrationBatch),
            (F.health, .health), (F.serverInfo, .serverInfo),
        ]
        for (field, method) in methods {
            for id: UInt64 in [0, 1, 127, 128, 1 << 35, .max] {
                let p = try #require(Self.scan(Requests.request(id: id, method: field, WireBytes(), deadline: 250)))
                #expect(p.id == id)
                #expect(p.deadlineMs == 250)
                #expect(p.method == method)
                let single = method == .verifyAuthentication || method == .verifyRegistration
                #expect(p.itemCount == (single ? 1 : 0))
            }
        }
        #expect(Self.scan(WireBytes()) == RequestPrescan())
    }

    @Test func deadlineIsTruncatedLikeProtobufC() throws {
        let r = Requests.request(id: 9, method: F.health, WireBytes(), deadline: 1 << 32 | 7)
        #expect(try #require(Self.scan(r)).deadlineMs == 7)
        let executor = Requests.executor()
        let summary = try #require(r.withPayload { executor.decode($0) })
        #expect(summary.deadlineMs == 7)
    }

    @Test func countsBatchItemsWithoutUnpacking() throws {
        for n in [0, 1, 2, 300, 5000] {
            var batch = WireBytes()
            for _ in 0..<n { batch.bytes(F.items, []) }
            batch.varint(7, 1)  // an unknown field in the batch is skipped, not counted
            for field in [F.authBatch, F.regBatch] {
                let p = try #require(Self.scan(Requests.request(id: 5, method: field, batch)))
                #expect(p.itemCount == n)
            }
        }
    }

    @Test func everyBatchFieldCountsAndTheLastMethodWins() throws {
        var one = WireBytes()
        for _ in 0..<3 { one.bytes(F.items, []) }
        var r = WireBytes()
        r.varint(F.id, 4)
        r.message(F.authBatch, one)
        r.message(F.regBatch, one)
        r.message(F.authBatch, one)
        let p = try #require(Self.scan(r))
        #expect(p.method == .verifyAuthenticationBatch)
        #expect(p.itemCount == 9)
        r.message(F.health, WireBytes())
        #expect(try #require(Self.scan(r)).method == .health)
    }

    @Test func skipsUnknownFieldsOfEveryWireType() throws {
        var r = WireBytes()
        r.bytes += WireBytes.key(3, 0) + WireBytes.varint(.max)
        r.bytes += WireBytes.key(4, 1) + [UInt8](repeating: 0xFF, count: 8)
        r.bytes += WireBytes.key(5, 5) + [UInt8](repeating: 0xFF, count: 4)
        r.bytes(6, [0x08, 0x01])
        r.varint(F.id, 77)
        r.message(F.health, WireBytes())
        let p = try #require(Self.scan(r))
        #expect(p.id == 77 && p.method == .health)
    }

    /// Each of these is refused by the prescan, and by protobuf-c as well.
    @Test func refusesWhatIsNotWireFormat() {
        let bad: [[UInt8]] = [
            [0x08],  // id key without its value
            [0x08, 0x80],  // truncated varint
            [0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01],  // an 11-byte varint
            [0x5A, 0x05, 0x00],  // length past the end
            [0x5A, 0x80],  // truncated length
            [0x0B],  // start group
            [0x0C],  // end group
            [0x0E],  // wire type 6
            [0x0F],  // wire type 7
            [0x09, 0, 0, 0, 0, 0, 0, 0],  // fixed64 short by one
            [0x0D, 0, 0, 0],  // fixed32 short by one
            [0x62, 0x02, 0x0A, 0x05],  // a batch whose item runs past the batch
            [0x6A, 0x01, 0x0B],  // a registration batch holding a group
            [0xFF, 0xFF, 0xFF],  // Tests/e2e: "payload is not a Request"
        ]
        let executor = Requests.executor()
        for b in bad {
            #expect(b.withUnsafeBytes { RequestPrescan.scan($0) } == nil, "\(b)")
            #expect(b.withUnsafeBytes { executor.decodeRequest($0) } == .malformed, "protobuf-c accepted \(b)")
        }
    }

    /// Random and mutated inputs, with every buffer exactly as long as its bytes (reads past the end trap in debug).
    /// Whatever protobuf-c accepts, the prescan reads the same id, deadline and method, and counts at least the items.
    @Test func agreesWithProtobufCOnRandomInput() throws {
        var rng = SplitMix(seed: 0x5EED)
        let executor = Requests.executor()
        var seeds: [[UInt8]] = []
        var batch = WireBytes()
        for i in 0..<4 {
            var item = WireBytes()
            item.message(F.policy, Requests.inlinePolicy())
            item.bytes(F.challenge, [UInt8](repeating: UInt8(i), count: 8))
            batch.message(F.items, item)
        }
        seeds.append(Requests.request(id: 300, method: F.authBatch, batch, deadline: 9).bytes)
        seeds.append(Requests.request(id: 1, method: F.verifyAuthentication, WireBytes()).bytes)
        seeds.append(Requests.request(id: 1 << 40, method: F.regBatch, batch).bytes)
        seeds.append(Requests.request(id: 2, method: F.serverInfo, WireBytes()).bytes)
        var accepted = 0
        for round in 0..<20_000 {
            var b: [UInt8]
            if round % 3 == 0 {
                b = (0..<Int(rng.next() % 48)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                b = seeds[Int(rng.next() % UInt64(seeds.count))]
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    guard !b.isEmpty else { break }
                    let at = Int(rng.next() % UInt64(b.count))
                    switch rng.next() % 4 {
                    case 0: b[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: b.removeSubrange(at...)
                    case 2: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                    default: b.remove(at: at)
                    }
                }
            }
            let scanned = b.withUnsafeBytes { RequestPrescan.scan($0) }
            let decoded = b.withUnsafeBytes { executor.decodeRequest($0) }
            guard case let .decoded(summary) = decoded else { continue }
            accepted += 1
            let p = try #require(scanned, "protobuf-c accepted \(b) but the prescan did not")
            #expect(p.id == summary.id && p.deadlineMs == summary.deadlineMs && p.method == summary.method, "\(b)")
            #expect(p.itemCount >= summary.itemCount, "\(b)")
        }
        #expect(accepted > 1000)
    }
}

/// A small deterministic generator (tests must not depend on the system's randomness to reproduce).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
