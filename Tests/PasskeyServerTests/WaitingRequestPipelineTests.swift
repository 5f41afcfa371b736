// Requests that wait for the shared replay store, through the real connection pipeline (EmbeddedChannel) with a
// store the test answers by hand: the loop is not blocked, the response goes out when the store answers, the
// in-flight slot is held until then, and the per-connection cap counts waiting requests.
import Logging
import NIOCore
import NIOEmbedded
import PasskeyCrypto
@testable import PasskeyServer
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import PasskeyWire
import Testing

/// The shared store, answered by the test.
final class ManualStore: DeferredReplayStore, @unchecked Sendable {
    var asked: [(challenges: [IssuedChallenge], done: ([ReplayVerdict]) -> Void)] = []

    func record(_ challenges: [IssuedChallenge], nowMs: Int64, on loop: EventLoop, _ done: @escaping ([ReplayVerdict]) -> Void) {
        asked.append((challenges, done))
    }

    func answer(_ verdict: ReplayVerdict) {
        let (challenges, done) = asked.removeFirst()
        done(Array(repeating: verdict, count: challenges.count))
    }
}

@Suite struct WaitingRequestPipelineTests {
    static let keys = try! ChallengeKeyRing(
        keys: [try! ChallengeKey(name: "pipeline", secret: [UInt8](repeating: 3, count: 32))], minting: "pipeline")

    static func connection(_ store: ManualStore, maxInFlightPerConnection: Int = 1024) throws -> Connection {
        var config = ServerConfiguration()
        config.challengeStore = .redis
        config.redisURL = "redis://127.0.0.1:1"
        config.limits.maxInFlightPerConnection = maxInFlightPerConnection
        let registry = RelyingPartyRegistry()
        registry.replaceChallengeKeys(keys)
        let core = ServerCore(
            configuration: config, registry: registry, version: "test",
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), deferredStore: store)
        return try Connection(core: core)
    }

    /// A verify_authentication over a fresh issued challenge, checked "issued for [1]".
    static func issued(id: UInt64, _ auth: SoftAuthenticator) throws -> [UInt8] {
        let token = try keys.mint(
            .init(ceremony: .authentication, rpID: "example.com", context: [1]), lifetimeMs: 60_000, nowMs: WallClock.nowMs()
        ).token
        let a = try auth.assert(rpId: "example.com", origin: "https://example.com", challenge: token)
        let policy = Wire.field(2, Array("example.com".utf8)) + Wire.field(3, Array("https://example.com".utf8))
        let fields = Wire.field(1, a.credentialID) + Wire.field(2, a.authenticatorData) + Wire.field(3, a.clientDataJSON)
            + Wire.field(4, a.signature)
        let item = Wire.field(1, policy) + Wire.field(3, auth.cosePublicKey) + Wire.field(7, fields) + Wire.field(10, Wire.field(1, [1]))
        return Wire.frame(Wire.request(id: id, method: 11, item))
    }

    @Test func theResponseLeavesWhenTheStoreAnswersAndOthersDoNotWait() throws {
        let store = ManualStore()
        let c = try Self.connection(store)
        let auth = try SoftAuthenticator(algorithm: .es256)
        c.channel.read()
        try c.send(try Self.issued(id: 1, auth) + Wire.health(2) + (try Self.issued(id: 3, auth)))
        // The health check is answered in the read's flush; both verifications wait at the store, holding their slot.
        #expect(try c.answers() == [Answer(id: 2, what: "health")])
        #expect(store.asked.count == 2)
        #expect(c.core.state.inFlight.load(ordering: .relaxed) == 2)
        store.answer(.firstUse)
        #expect(try c.answers() == [Answer(id: 1, what: "verify_authentication")])
        store.answer(.unavailable)
        #expect(try c.answers() == [Answer(id: 3, what: "UNAVAILABLE")])
        #expect(c.core.state.inFlight.load(ordering: .relaxed) == 0)
    }

    @Test func waitingRequestsCountAgainstThePerConnectionCap() throws {
        let store = ManualStore()
        let c = try Self.connection(store, maxInFlightPerConnection: 1)
        let auth = try SoftAuthenticator(algorithm: .es256)
        c.channel.read()
        #expect(c.reads.reads == 1)
        try c.send(try Self.issued(id: 1, auth) + Wire.health(2))
        // One request waits, which fills the cap: the health check behind it stays in the decoder, unread.
        #expect(try c.answers().isEmpty)
        c.channel.read()
        #expect(c.reads.reads == 1)
        store.answer(.reused)
        c.loop.run()
        #expect(try c.answers() == [Answer(id: 1, what: "verify_authentication"), Answer(id: 2, what: "health")])
        #expect(c.reads.reads == 2)
    }

    @Test func aConnectionClosedWhileWaitingStillReleasesTheSlot() throws {
        let store = ManualStore()
        let c = try Self.connection(store)
        let auth = try SoftAuthenticator(algorithm: .es256)
        c.channel.read()
        try c.send(try Self.issued(id: 1, auth))
        #expect(c.core.state.inFlight.load(ordering: .relaxed) == 1)
        _ = try? c.channel.close().wait()
        store.answer(.firstUse)
        #expect(c.core.state.inFlight.load(ordering: .relaxed) == 0)
    }
}
