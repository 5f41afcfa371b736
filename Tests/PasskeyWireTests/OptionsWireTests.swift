import PasskeyWire
import Testing

/// The options methods through the executor, from hand-written wire bytes: the prescan names them, the result
/// carries the options JSON and the challenge, and an unusable item is its result's code, never a request error.
@Suite struct OptionsWireTests {
    static let snapshot = ServerSnapshot(draining: false, inFlight: 1, connections: 1)
    // Field numbers (Protos/passkeyd/v1/passkeyd.proto).
    static let generateRegistration = 16, generateAuthentication = 17
    static let user = 2, allowCredentials = 2, userID = 1, userName = 2

    /// Runs one request and returns the result message of `field` in the Response, as (field, bytes) pairs.
    static func run(_ e: WireExecutor, _ request: WireBytes, field: Int) throws -> [Int: [UInt8]] {
        guard case .decoded = request.withPayload({ e.decodeRequest($0) }) else { throw Failure("not decoded") }
        let response = e.execute(snapshot: snapshot)
        var top = WireReader(response.payload)
        while !top.atEnd {
            guard let (f, value) = top.next() else { throw Failure("response is not wire format") }
            guard Int(f) == field, case let .lengthDelimited(body) = value else { continue }
            var out: [Int: [UInt8]] = [:]
            var r = WireReader(body)
            while !r.atEnd {
                guard let (k, v) = r.next() else { throw Failure("result is not wire format") }
                switch v {
                case let .lengthDelimited(b): out[Int(k)] = Array(b)
                case let .varint(n): out[Int(k)] = WireBytes.varint(n)
                default: break
                }
            }
            return out
        }
        throw Failure("the response has no field \(field)")
    }

    struct Failure: Error { let text: String; init(_ t: String) { text = t } }

    @Test func prescanNamesTheOptionsMethods() throws {
        for (field, method) in [(Self.generateRegistration, WireMethod.generateRegistrationOptions),
                                (Self.generateAuthentication, .generateAuthenticationOptions)] {
            let r = Requests.request(id: 77, method: field, WireBytes(), deadline: 10)
            let p = try #require(r.withPayload { RequestPrescan.scan($0) })
            #expect(p.id == 77 && p.method == method && p.itemCount == 1)
            let summary = try #require(r.withPayload { Requests.executor().decode($0) })
            #expect(summary.method == method && summary.itemCount == 1)
        }
    }

    @Test func registrationOptionsCarryJSONAndChallenge() throws {
        let e = Requests.executor()
        var u = WireBytes()
        u.bytes(Self.userID, [1, 2, 3])
        u.string(Self.userName, "alice")
        var item = WireBytes()
        item.message(F.policy, Requests.inlinePolicy())
        item.message(Self.user, u)
        let result = try Self.run(e, Requests.request(id: 1, method: Self.generateRegistration, item), field: Self.generateRegistration)
        #expect(result[1] == nil, "error code \(String(describing: result[1])): \(String(decoding: result[2] ?? [], as: UTF8.self))")
        let json = String(decoding: try #require(result[3]), as: UTF8.self)
        let challenge = try #require(result[4])
        #expect(challenge.count == 66)
        #expect(json.hasPrefix("{\"rp\":{\"id\":\"example.com\",\"name\":\"example.com\"},\"user\":{\"id\":\"AQID\",\"name\":\"alice\""))
        #expect(result[5] != nil && result[6] == WireBytes.varint(300_000))
    }

    @Test func unusableItemsAreTheirResultsCode() throws {
        let e = Requests.executor()
        // No user.
        var item = WireBytes()
        item.message(F.policy, Requests.inlinePolicy())
        let noUser = try Self.run(e, Requests.request(id: 2, method: Self.generateRegistration, item), field: Self.generateRegistration)
        #expect(noUser[1] == WireBytes.varint(3))  // MALFORMED_REQUEST
        // An unknown named relying party.
        var named = WireBytes()
        named.string(F.relyingParty, "nobody")
        var login = WireBytes()
        login.message(F.policy, named)
        let unknown = try Self.run(e, Requests.request(id: 3, method: Self.generateAuthentication, login), field: Self.generateAuthentication)
        #expect(unknown[1] == WireBytes.varint(8))  // UNKNOWN_RELYING_PARTY
        // A usernameless login with the defaults.
        var plain = WireBytes()
        plain.message(F.policy, Requests.inlinePolicy())
        let ok = try Self.run(e, Requests.request(id: 4, method: Self.generateAuthentication, plain), field: Self.generateAuthentication)
        #expect(ok[1] == nil)
        #expect(String(decoding: try #require(ok[3]), as: UTF8.self).contains("\"allowCredentials\":[]"))
    }
}
